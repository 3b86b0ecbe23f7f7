package io.spillway.adapters.inmemory;

import java.util.function.Supplier;

/**
 * Per-second rate windows keyed by the second of each call's own timestamp, the last
 * {@code horizonSeconds} of them kept in a ring: in a simulation, actors whose turns interleave out
 * of order in time each land in the second they were in, not in whichever second the latest caller
 * reached.
 *
 * <p>A call older than the horizon is charged to the oldest second still kept: the ring stays
 * bounded, and the horizon is chosen far longer than any actor runs ahead of another.
 */
final class SecondWindows<W extends SecondWindows.Window> {
  /** What one second counts; {@link #reset} empties it for reuse by a later second. */
  interface Window {
    void reset();
  }

  private final long[] seconds;
  private final Object[] windows;
  private final Supplier<W> fresh;
  private long latest = Long.MIN_VALUE;

  SecondWindows(int horizonSeconds, Supplier<W> fresh) {
    if (horizonSeconds < 1) {
      throw new IllegalArgumentException("horizon must be at least a second, got " + horizonSeconds);
    }
    seconds = new long[horizonSeconds + 1];
    windows = new Object[horizonSeconds + 1];
    java.util.Arrays.fill(seconds, Long.MIN_VALUE);
    this.fresh = fresh;
  }

  /** The window of {@code epochSecond} (or of the oldest second kept, if it is older than the horizon). */
  @SuppressWarnings("unchecked")
  W at(long epochSecond) {
    long second = epochSecond;
    if (latest == Long.MIN_VALUE || second > latest) {
      latest = second;
    } else if (second < latest - (seconds.length - 1)) {
      second = latest - (seconds.length - 1);
    }
    int slot = (int) Math.floorMod(second, (long) seconds.length);
    W w = (W) windows[slot];
    if (w == null) {
      // allocated on first use: a stream of thousands of mostly idle shards stays small
      w = fresh.get();
      windows[slot] = w;
    }
    // the ring holds only seconds within the horizon: a slot tagged with another second is stale
    if (seconds[slot] != second) {
      seconds[slot] = second;
      w.reset();
    }
    return w;
  }

  /** Every window allocated so far, live or stale (a partition split copies its parent's use into each). */
  @SuppressWarnings("unchecked")
  void forEachWindow(java.util.function.Consumer<W> action) {
    for (Object w : windows) {
      if (w != null) {
        action.accept((W) w);
      }
    }
  }

  /** The latest second any call has reached. */
  long latest() {
    return latest;
  }
}
