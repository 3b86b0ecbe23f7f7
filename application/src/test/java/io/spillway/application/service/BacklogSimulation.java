package io.spillway.application.service;

import io.spillway.application.service.BacklogMonitor.Assessment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Drives steady shards and a monitor on a virtual clock the way the runtime would: every shard
 * consumes a batch each {@code batchEvery}, and the monitor is assessed each {@code assessEvery}.
 */
final class BacklogSimulation {
  final VirtualClock clock;
  final BacklogMonitor monitor;
  final List<SteadyShard> shards;
  final List<Assessment> assessments = new ArrayList<>();
  private final Duration batchEvery;
  private final int batchesPerAssessment;
  private long batches;

  BacklogSimulation(VirtualClock clock, BacklogMonitor monitor, List<SteadyShard> shards, Duration batchEvery, Duration assessEvery) {
    this.clock = clock;
    this.monitor = monitor;
    this.shards = shards;
    this.batchEvery = batchEvery;
    this.batchesPerAssessment = (int) assessEvery.dividedBy(batchEvery);
  }

  static BacklogSimulation everySecond(VirtualClock clock, BacklogMonitor monitor, List<SteadyShard> shards) {
    return new BacklogSimulation(clock, monitor, shards, Duration.ofSeconds(1), Duration.ofSeconds(10));
  }

  /** Runs for the duration and returns the last assessment. */
  Assessment runFor(Duration total) {
    long steps = total.dividedBy(batchEvery);
    double seconds = BacklogMonitor.seconds(batchEvery);
    for (long i = 0; i < steps; i++) {
      clock.advance(batchEvery);
      for (SteadyShard shard : shards) {
        shard.consume(clock.now(), seconds, monitor);
      }
      if (++batches % batchesPerAssessment == 0) {
        assessments.add(monitor.assess());
      }
    }
    return assessments.get(assessments.size() - 1);
  }

  /** The true age of the oldest unread record over the shards. */
  Duration oldestUnreadAge() {
    return shards.stream().map(s -> s.oldestUnreadAge(clock.now())).max(Duration::compareTo).orElse(Duration.ZERO);
  }
}
