package io.spillway.bootstrap.local;

import io.spillway.bootstrap.cli.SpillwayCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** A {@code spillway} command run in this JVM as the shell runs it, with what it printed on stdout. */
record CommandLineRun(int exit, String out) {
  static CommandLineRun of(String... args) {
    PrintStream original = System.out;
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    int exit;
    try (PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
      System.setOut(capture);
      exit = SpillwayCommand.commandLine().execute(args);
    } finally {
      System.setOut(original);
    }
    return new CommandLineRun(exit, buffer.toString(StandardCharsets.UTF_8));
  }
}
