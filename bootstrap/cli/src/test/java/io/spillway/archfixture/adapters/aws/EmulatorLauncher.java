package io.spillway.archfixture.adapters.aws;

import java.io.IOException;
import java.util.List;

/** Planted: an emulator launcher in the AWS adapter's production code. */
public final class EmulatorLauncher {
  public Process start() throws IOException {
    return new ProcessBuilder(List.of("node", "kinesis-mock")).start();
  }
}
