package io.spillway.bootstrap.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The progress line {@code spillway read} redraws on a terminal: events so far (of the manifest's
 * total, when the whole job is read), MB/s written and the time left. Silent when not a terminal.
 */
final class ReadProgress {
  private static final long REDRAW_NANOS = 250_000_000L;

  private final PrintStream err;
  private final OptionalLong total;
  private final long start;
  private long lastDrawn;
  private boolean drawn;

  ReadProgress(PrintStream err, OptionalLong total, long startNanos) {
    this.err = err;
    this.total = total;
    this.start = startNanos;
    this.lastDrawn = startNanos;
  }

  /** A progress line when stderr is a terminal, else one that draws nothing. */
  static ReadProgress forTerminal(OptionalLong total) {
    return System.console() == null ? null : new ReadProgress(System.err, total, System.nanoTime());
  }

  void update(long events, long bytes, long now) {
    if (now - lastDrawn >= REDRAW_NANOS) {
      lastDrawn = now;
      drawn = true;
      err.print("\r" + line(events, total, bytes, now - start) + "   ");
      err.flush();
    }
  }

  void done() {
    if (drawn) {
      err.println();
    }
  }

  /** e.g. {@code 1,234,567 / 2,000,000 events (61.7 %)  45.3 MB/s  ETA 0:12}. */
  static String line(long events, OptionalLong total, long bytes, long elapsedNanos) {
    double seconds = Math.max(elapsedNanos, 1) / 1e9;
    double mbps = bytes / 1e6 / seconds;
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%,d", events));
    if (total.isPresent() && total.getAsLong() > 0) {
      long all = total.getAsLong();
      s.append(String.format(Locale.ROOT, " / %,d events (%.1f %%)", all, 100.0 * events / all));
      s.append(String.format(Locale.ROOT, "  %.1f MB/s", mbps));
      if (events > 0 && events < all) {
        long left = Math.round((all - events) * seconds / events);
        s.append(String.format(Locale.ROOT, "  ETA %d:%02d", left / 60, left % 60));
      }
    } else {
      s.append(String.format(Locale.ROOT, " events  %.1f MB/s", mbps));
    }
    return s.toString();
  }
}
