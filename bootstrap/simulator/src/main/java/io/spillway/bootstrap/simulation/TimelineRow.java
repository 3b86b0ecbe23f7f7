package io.spillway.bootstrap.simulation;

/**
 * One minute of a simulated architecture, as an operator's dashboard would show it.
 *
 * @param minute minutes since the simulation started
 * @param backlogAgeSeconds the oldest record no consumer has checkpointed past (0 without a stream)
 * @param writeUnitsPerSecond write units the table granted, averaged over the minute (rows the primary committed, for legacy-rdbms)
 * @param capacityUnitsPerSecond what the table grants per second at the minute's end (the row ceiling, for legacy-rdbms)
 * @param bufferedBytes chunk bytes waiting in the producers' buffers, all hosts together
 * @param fullestHostBufferedBytes the most any one host's buffer held during the minute (sampled each second and after each
 *     append, and exact in a minute that raised the host's running peak), to read against the per-host bound; 0 without a byte buffer
 * @param backlogBytes record bytes in the stream no consumer has checkpointed past
 * @param jobsAvailable jobs available so far
 * @param risk the retention-risk level the live forecast gave (OK without a stream)
 */
public record TimelineRow(long minute, double backlogAgeSeconds, double writeUnitsPerSecond, double capacityUnitsPerSecond,
    long bufferedBytes, long fullestHostBufferedBytes, long backlogBytes, int jobsAvailable, String risk) {}
