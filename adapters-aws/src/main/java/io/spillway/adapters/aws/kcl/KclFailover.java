package io.spillway.adapters.aws.kcl;

import java.time.Duration;
import java.util.Objects;
import software.amazon.kinesis.leases.LeaseManagementConfig;

/**
 * How soon the shards of a worker that stopped or died move to the workers still running. KCL 3
 * spreads this over several timers; all of them are set here from one failover time, in KCL's own
 * default proportions, so {@link #KCL_DEFAULT} (10 s) leaves KCL exactly as it ships:
 *
 * <ul>
 *   <li>a lease not renewed for 1× the failover time has expired;
 *   <li>the leader reassigns expired leases every 2×;
 *   <li>every worker reports itself alive every 3×, and one silent for two reports (6×) is no
 *       longer given leases — until then the leader may hand a dead worker's expired leases back to
 *       it, so this bounds the takeover;
 *   <li>the leader's lock lasts 12× and is renewed every 3×: a leader that dies is replaced after
 *       12× to 15×, and the new leader expires and reassigns the dead one's leases within another 3×.
 * </ul>
 *
 * <p>So a stopped worker's shards move after about 3–9× the failover time, or 15–18× when it was
 * the leader and died (a leader shut down gracefully gives up its lock at once). Shorter times cost
 * DynamoDB reads and writes in proportion (lease renewals every ⅓×, one lease-table scan per
 * assignment run) and make a worker that stalls for longer than 1× lose its leases.
 */
public record KclFailover(Duration failoverTime) {
  /** KCL's defaults: shards move within about 1½ minutes, 3 minutes when the leader died. */
  public static final KclFailover KCL_DEFAULT = new KclFailover(Duration.ofSeconds(10));

  public KclFailover {
    Objects.requireNonNull(failoverTime, "failoverTime");
    if (failoverTime.toMillis() < 1_000) {
      throw new IllegalArgumentException("failover time under a second: " + failoverTime);
    }
  }

  void applyTo(LeaseManagementConfig leases) {
    long f = failoverTime.toMillis();
    leases.failoverTimeMillis(f);
    leases.leaseAssignmentIntervalMillis(2 * f);
    leases.workerUtilizationAwareAssignmentConfig().workerMetricsReporterFreqInMillis(3 * f);
    leases.dynamoDbLockBasedLeaderLeaseDurationInMillis(12 * f);
    leases.dynamoDbLockBasedLeaderHeartbeatPeriodInMillis(3 * f);
  }
}
