package io.spillway.adapters.aws.kcl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.kinesis.leases.LeaseManagementConfig;

/** The failover time sets KCL's failover timers; no calls are made. */
class KclFailoverTest {
  private static final DynamoDbAsyncClient dynamo = DynamoDbAsyncClient.builder().region(Region.US_EAST_1).build();
  private static final KinesisAsyncClient kinesis = KinesisAsyncClient.builder().region(Region.US_EAST_1).build();

  @AfterAll
  static void close() {
    dynamo.close();
    kinesis.close();
  }

  private static LeaseManagementConfig config() {
    return new LeaseManagementConfig("table", "app", dynamo, kinesis, "worker");
  }

  private static long[] timers(LeaseManagementConfig c) {
    return new long[] {c.failoverTimeMillis(), c.leaseAssignmentIntervalMillis(),
        c.workerUtilizationAwareAssignmentConfig().workerMetricsReporterFreqInMillis(), c.dynamoDbLockBasedLeaderLeaseDurationInMillis(),
        c.dynamoDbLockBasedLeaderHeartbeatPeriodInMillis()};
  }

  @Test
  void theDefaultLeavesKclAsItShips() {
    LeaseManagementConfig shipped = config();
    LeaseManagementConfig configured = config();
    KclFailover.KCL_DEFAULT.applyTo(configured);
    assertThat(timers(configured)).containsExactly(timers(shipped));
  }

  @Test
  void everyTimerScalesWithTheFailoverTime() {
    LeaseManagementConfig configured = config();
    new KclFailover(Duration.ofSeconds(2)).applyTo(configured);
    // lease expiry, assignment runs, liveness reports, leader lock, its heartbeat
    assertThat(timers(configured)).containsExactly(2_000, 4_000, 6_000, 24_000, 6_000);
  }

  @Test
  void underASecondIsRefused() {
    assertThatThrownBy(() -> new KclFailover(Duration.ofMillis(999))).isInstanceOf(IllegalArgumentException.class);
  }
}
