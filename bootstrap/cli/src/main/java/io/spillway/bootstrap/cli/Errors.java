package io.spillway.bootstrap.cli;

import io.spillway.domain.InvalidFieldException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How the command line reports what went wrong, on stderr, as one line starting with the command:
 *
 * <ul>
 *   <li>invalid input — a value of the wrong type, past a documented limit, not among the allowed
 *       ones, or a backend that is not there — exits 2; a value picocli's parser refused is followed
 *       by a pointer to the command's {@code --help};
 *   <li>any other failure of the run exits 1, with its stack trace only when debugging is asked
 *       for ({@code SPILLWAY_DEBUG=1}).
 * </ul>
 */
final class Errors implements IParameterExceptionHandler, IExecutionExceptionHandler {
  /** The environment variable that asks for stack traces. */
  static final String DEBUG = "SPILLWAY_DEBUG";

  private final boolean debug;

  Errors(boolean debug) {
    this.debug = debug;
  }

  /** Whether the environment asks for stack traces: {@code SPILLWAY_DEBUG} set to anything but empty, 0 or false. */
  static boolean debugRequested(String value) {
    return value != null && !value.isBlank() && !value.equals("0") && !value.equalsIgnoreCase("false");
  }

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    String message = oneLine(ex.getMessage());
    if (ex instanceof UnmatchedArgumentException unmatched) {
      List<String> suggestions = unmatched.getSuggestions();
      if (!suggestions.isEmpty()) {
        message += " (did you mean " + String.join(" or ", suggestions) + "?)";
      }
    }
    err.println(cmd.getCommandSpec().qualifiedName() + ": " + message);
    if (!(ex instanceof Options.Refused)) {
      err.println("try '" + cmd.getCommandSpec().qualifiedName() + " --help'");
    }
    if (debug) {
      ex.printStackTrace(err);
    }
    err.flush();
    return cmd.getCommandSpec().exitCodeOnInvalidInput();
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    String command = cmd.getCommandSpec().qualifiedName();
    // a limit checked below the command line (a scenario file's fields, a domain rule) is still invalid input
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (t instanceof InvalidFieldException invalid) {
        err.println(command + ": " + oneLine(invalid.getMessage()));
        if (debug) {
          ex.printStackTrace(err);
        }
        err.flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
      }
    }
    err.println(command + ": " + oneLine(describe(ex)) + (debug ? "" : " (" + DEBUG + "=1 shows the stack trace)"));
    if (debug) {
      ex.printStackTrace(err);
    }
    err.flush();
    return cmd.getCommandSpec().exitCodeOnExecutionException();
  }

  /** An error that escaped the command (picocli lets errors through): one line, exit 1. */
  int handleError(Error e, CommandLine cli) {
    PrintWriter err = cli.getErr();
    err.println(cli.getCommandSpec().qualifiedName() + ": " + oneLine(describe(e)) + (debug ? "" : " (" + DEBUG + "=1 shows the stack trace)"));
    if (debug) {
      e.printStackTrace(err);
    }
    err.flush();
    return cli.getCommandSpec().exitCodeOnExecutionException();
  }

  /** The failure's own message, past the wrappers that only carry it; the type when it says more than the message. */
  static String describe(Throwable ex) {
    Throwable t = ex;
    while (t.getCause() != null && (t instanceof ExecutionException || t instanceof CompletionException
        || t instanceof UndeclaredThrowableException || t.getMessage() == null || t.getMessage().equals(t.getCause().toString()))) {
      t = t.getCause();
    }
    String message = t.getMessage();
    if (message == null || message.isBlank()) {
      return t.getClass().getSimpleName();
    }
    boolean plain = t instanceof IllegalStateException || t instanceof IllegalArgumentException || t instanceof UncheckedIOException;
    return plain ? message : t.getClass().getSimpleName() + ": " + message;
  }

  /** Keeps a message to one line: its lines joined. */
  static String oneLine(String message) {
    return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", "; ");
  }
}
