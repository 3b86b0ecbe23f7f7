package io.spillway.bootstrap.cli;

import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What a run keeps on this JVM's heap, estimated before it starts, so that a workload that cannot
 * fit is refused at once instead of failing (or thrashing the collector) minutes later.
 *
 * <p>A run verifies what it reads back against a digest, not against a copy of the events; what it
 * keeps is what the in-memory backend stores. The stream holds each chunk's record for its 24-hour
 * retention and the table keeps its own copy of the record, so an event costs its compressed size
 * twice: 77–79 bytes per generated analytics event, measured over 0.6 to 8 million events (38.7
 * bytes stored per event, docs/benchmarks.md). A job adds its state, manifest and chunk keys (about
 * 7 KB per job, measured with 20,000 ten-event jobs), and the run needs room to work: the open
 * chunks of the jobs being produced, the publisher's 64 MiB buffer and the read-back.
 */
final class HeapBudget {
  /** Bytes the in-memory backend keeps per event: the stream's copy of its compressed chunk and the table's. */
  static final long STORED_BYTES_PER_EVENT = 80;
  /** Bytes an event takes held as an object, as the bench holds its events (356 measured). */
  static final long EVENT_OBJECT_BYTES = 360;
  /** Bytes a job keeps: its state, manifest, chunk keys, digest and run bookkeeping. */
  static final long BYTES_PER_JOB = 8 * 1024;
  /** Room a run works in besides what it keeps. */
  static final long WORKING_SET_BYTES = 256L * 1024 * 1024;

  private HeapBudget() {}

  /**
   * Refuses a workload whose estimate does not fit this JVM's maximum heap.
   *
   * @param options the flags and values that make the workload, as typed ("--jobs 3 x --events-per-job 20000")
   * @param events the events the workload produces
   * @param bytesPerEvent what the run keeps per event (0 when it keeps none)
   * @param jobs the jobs it runs
   * @param basis how {@code bytesPerEvent} is made up, for the message
   */
  static void require(CommandSpec spec, String options, double events, long bytesPerEvent, double jobs, String basis) {
    require(spec, options, events, bytesPerEvent, jobs, basis, Runtime.getRuntime().maxMemory());
  }

  static void require(CommandSpec spec, String options, double events, long bytesPerEvent, double jobs, String basis, long maxHeap) {
    require(spec, options, events, bytesPerEvent, jobs, basis, maxHeap, WORKING_SET_BYTES);
  }

  /** As {@link #require(CommandSpec, String, double, long, double, String)}, for a run that needs more (or less) room to work in. */
  static void require(CommandSpec spec, String options, double events, long bytesPerEvent, double jobs, String basis, long maxHeap,
      long workingSetBytes) {
    double needed = events * bytesPerEvent + jobs * BYTES_PER_JOB + workingSetBytes;
    if (needed <= maxHeap) {
      return;
    }
    double roomForEvents = maxHeap - workingSetBytes - jobs * BYTES_PER_JOB;
    String fits = bytesPerEvent > 0 && roomForEvents > 0
        ? String.format(Locale.ROOT, "; about %,d events fit", (long) (roomForEvents / bytesPerEvent))
        : String.format(Locale.ROOT, "; about %,d jobs fit", Math.max(0, (maxHeap - workingSetBytes) / BYTES_PER_JOB));
    throw new Options.Refused(spec, String.format(Locale.ROOT,
        "%s: %,.0f events need about %s of heap (%s, %s per job, %s to work in); the limit is this JVM's maximum heap, %s%s"
            + " (a larger -Xmx raises it: SPILLWAY_HEAP=8g ./spillway ..., or -Xmx in SPILLWAY_JAVA_OPTS)",
        options, events, bytes(needed), basis, bytes(BYTES_PER_JOB), bytes(workingSetBytes), bytes(maxHeap), fits));
  }

  /** Bytes in binary units, one decimal: "5.9 GiB". */
  static String bytes(double b) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"};
    int u = 0;
    while (b >= 1024 && u < units.length - 1) {
      b /= 1024;
      u++;
    }
    return u == 0 ? String.format(Locale.ROOT, "%.0f B", b) : String.format(Locale.ROOT, "%.1f %s", b, units[u]);
  }
}
