package io.spillway.bootstrap.cli;

import io.spillway.domain.InvalidFieldException;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Checks of command-line values. A value past a limit is refused as picocli refuses a value of the
 * wrong type: a {@link ParameterException} of the command, naming the flag, the value and the
 * limit, which the command line prints as one line and exits 2 for. Commands run these checks
 * first, before they build a client or create anything.
 */
final class Options {
  /** The characters AWS allows in Kinesis stream, DynamoDB table and stream-consumer names. */
  private static final Pattern AWS_NAME = Pattern.compile("[a-zA-Z0-9_.-]*");

  private Options() {}

  /**
   * A value refused by a command's own checks (rather than by picocli's parser): its message is
   * the whole explanation, so no pointer to {@code --help} follows it.
   */
  static final class Refused extends ParameterException {
    private static final long serialVersionUID = 1L;

    Refused(CommandSpec spec, String message) {
      super(spec.commandLine(), message);
    }
  }

  /** Refuses {@code value} of {@code option}: "--option: value breaks the limit: limit". */
  static Refused refuse(CommandSpec spec, String option, Object value, String limit) {
    return new Refused(spec, new InvalidFieldException(option, value, limit).getMessage());
  }

  static void atLeast(CommandSpec spec, String option, long value, long min) {
    if (value < min) {
      throw refuse(spec, option, value, "at least " + min);
    }
  }

  static void atMost(CommandSpec spec, String option, long value, long max) {
    if (value > max) {
      throw refuse(spec, option, value, "at most " + max);
    }
  }

  static void range(CommandSpec spec, String option, long value, long min, long max) {
    if (value < min || value > max) {
      throw refuse(spec, option, value, min + ".." + max);
    }
  }

  /** A rate or capacity: a finite number above zero. */
  static void positive(CommandSpec spec, String option, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw refuse(spec, option, value, "a finite number above 0");
    }
  }

  /** Text that must say something. */
  static void notBlank(CommandSpec spec, String option, String value) {
    if (value == null || value.isBlank()) {
      throw refuse(spec, option, value, "not blank");
    }
  }

  /** A name AWS accepts: {@code min..max} characters of [a-zA-Z0-9_.-]. */
  static void awsName(CommandSpec spec, String option, String value, int min, int max, String what) {
    if (value == null || value.length() < min || value.length() > max || !AWS_NAME.matcher(value).matches()) {
      throw refuse(spec, option, value, what + ": " + min + "-" + max + " characters of [a-zA-Z0-9_.-]");
    }
  }

  /** A host name or address to listen on, resolved now. */
  static java.net.InetAddress address(CommandSpec spec, String option, String value) {
    try {
      return java.net.InetAddress.getByName(value);
    } catch (java.net.UnknownHostException e) {
      throw refuse(spec, option, value, "an address or host name of this machine, e.g. 127.0.0.1 or 0.0.0.0");
    }
  }

  /** A Spillway properties file, read and checked now: a bad key or value is refused with its name. */
  static io.spillway.bootstrap.SpillwaySettings properties(CommandSpec spec, String option, java.nio.file.Path file) {
    try {
      return io.spillway.bootstrap.SpillwaySettings.load(file);
    } catch (java.nio.file.NoSuchFileException e) {
      throw refuse(spec, option, file, "a readable properties file (there is no such file)");
    } catch (java.io.IOException e) {
      throw refuse(spec, option, file, "a readable properties file (" + e.getMessage() + ")");
    } catch (InvalidFieldException e) {
      throw new Refused(spec, option + " " + file + ": " + e.getMessage());
    }
  }
}
