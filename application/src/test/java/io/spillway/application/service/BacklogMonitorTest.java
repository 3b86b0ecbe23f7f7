package io.spillway.application.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.data.Percentage.withPercentage;

import io.spillway.application.service.BacklogMonitor.Assessment;
import io.spillway.domain.InvalidFieldException;
import io.spillway.domain.risk.BacklogObservation;
import io.spillway.domain.risk.DrainLimits.Bottleneck;
import io.spillway.domain.risk.RetentionRiskForecast.Recommendation;
import io.spillway.domain.risk.RetentionRiskPolicy;
import io.spillway.domain.risk.RiskLevel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BacklogMonitorTest {
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  static final Duration DAY = Duration.ofHours(24);

  final VirtualClock clock = new VirtualClock(START);

  BacklogMonitor monitor(BacklogMonitorSettings settings) {
    BacklogMonitor monitor = new BacklogMonitor(clock, settings);
    monitor.retention(DAY);
    return monitor;
  }

  static double closedFormSeconds(Duration retention, Duration oldestAge, double arrival, double drain) {
    return (BacklogMonitor.seconds(retention) - BacklogMonitor.seconds(oldestAge)) / (1 - drain / arrival);
  }

  @Test
  void aBacklogGrowingAtAKnownRateIsProjectedToLoseRecordsWhenTheClosedFormSays() {
    BacklogMonitor monitor = monitor(BacklogMonitorSettings.defaults());
    // 100 records/s arrive over two shards, 40 are drained: the oldest age grows by 0.6 s/s.
    var sim = BacklogSimulation.everySecond(clock, monitor, List.of(
        SteadyShard.of("shard-a", 50, 20, START, Duration.ofHours(2)),
        SteadyShard.of("shard-b", 50, 20, START, Duration.ofHours(1))));

    Assessment a = sim.runFor(Duration.ofMinutes(10));

    assertThat(a.known()).isTrue();
    assertThat(a.oldestAge()).isBetween(sim.oldestUnreadAge(), sim.oldestUnreadAge().plusSeconds(1));
    assertThat(a.drainRate()).isCloseTo(40, withPercentage(5));
    assertThat(a.ageGrowthPerSecond()).isCloseTo(0.6, within(0.03));
    assertThat(a.arrivalRate()).isCloseTo(100, withPercentage(5));
    assertThat(a.timeToLoss()).isPresent();
    assertThat(a.secondsToLoss()).isCloseTo(closedFormSeconds(DAY, sim.oldestUnreadAge(), 100, 40), withPercentage(5));
    assertThat(a.projectedLossAt()).contains(clock.now().plus(a.timeToLoss().get()));
    assertThat(a.level()).isEqualTo(RiskLevel.OK);
    assertThat(monitor.iteratorAges()).containsOnlyKeys("shard-a", "shard-b");
  }

  @Test
  void aConsumerPacedToItsWriteBudgetBelowTheArrivalLeavesOkAndClimbsEachLevelOnce() {
    BacklogMonitor monitor = monitor(BacklogMonitorSettings.defaults());
    monitor.writeBudget(10);
    // 100 records/s arrive, the write budget lets 10 through: the age grows by 0.9 s/s from 1 h.
    var sim = new BacklogSimulation(clock, monitor, List.of(SteadyShard.of("shard-a", 100, 10, START, Duration.ofHours(1))),
        Duration.ofSeconds(5), Duration.ofSeconds(10));

    sim.runFor(Duration.ofHours(26));

    List<RiskLevel> held = sim.assessments.stream().map(Assessment::level).toList();
    assertThat(held).first().isEqualTo(RiskLevel.OK);
    assertThat(held).isSorted();
    assertThat(held).contains(RiskLevel.WATCH, RiskLevel.CRITICAL).last().isEqualTo(RiskLevel.LOSS);
    assertThat(monitor.levelChanges()).isEqualTo(3);

    Assessment firstCritical = sim.assessments.stream().filter(x -> x.level() == RiskLevel.CRITICAL).findFirst().orElseThrow();
    assertThat(firstCritical.bottleneck()).contains(Bottleneck.WRITE_CAPACITY);
    assertThat(firstCritical.recommendation()).isEqualTo(Recommendation.ADD_WRITE_CAPACITY);
    assertThat(firstCritical.secondsToLoss()).isCloseTo(closedFormSeconds(DAY, firstCritical.oldestAge(), 100, 10), withPercentage(5));
    assertThat(firstCritical.timeToLoss().get()).isLessThan(Duration.ofHours(1));
    assertThat(firstCritical.requiredDrainRate()).isGreaterThan(firstCritical.drainRate());
  }

  @Test
  void aConsumerKeepingUpStaysOkWithNoProjectedLoss() {
    BacklogMonitor monitor = monitor(BacklogMonitorSettings.defaults());
    var sim = BacklogSimulation.everySecond(clock, monitor, List.of(SteadyShard.of("shard-a", 100, 150, START, Duration.ZERO)));

    sim.runFor(Duration.ofMinutes(20));

    assertThat(sim.assessments).allSatisfy(a -> {
      assertThat(a.level()).isEqualTo(RiskLevel.OK);
      assertThat(a.timeToLoss()).isEmpty();
      assertThat(a.secondsToLoss()).isEqualTo(Double.POSITIVE_INFINITY);
      assertThat(a.recommendation()).isEqualTo(Recommendation.NONE);
    });
    Assessment last = sim.assessments.get(sim.assessments.size() - 1);
    assertThat(last.known()).isTrue();
    assertThat(last.oldestAge()).isEqualTo(Duration.ZERO);
    assertThat(last.drainRate()).isCloseTo(100, withPercentage(2));
    assertThat(monitor.levelChanges()).isZero();
  }

  @Test
  void aShrinkingBacklogProjectsNoLossAndAnArrivalBelowTheDrain() {
    BacklogMonitor monitor = monitor(BacklogMonitorSettings.defaults());
    // an hour behind, draining 300 records/s of 100 arriving: the age falls by 2 s/s.
    var sim = BacklogSimulation.everySecond(clock, monitor, List.of(SteadyShard.of("shard-a", 100, 300, START, Duration.ofHours(1))));

    Assessment a = sim.runFor(Duration.ofMinutes(10));

    assertThat(a.oldestAge()).isPositive();
    assertThat(a.ageGrowthPerSecond()).isCloseTo(-2, within(0.05));
    assertThat(a.arrivalRate()).isCloseTo(100, withPercentage(5));
    assertThat(a.timeToLoss()).isEmpty();
    assertThat(a.level()).isEqualTo(RiskLevel.OK);
  }

  @Test
  void aStalledConsumerIsSeenAgingOneSecondPerSecondAndBlamesTheConsumers() {
    BacklogMonitor monitor = monitor(BacklogMonitorSettings.defaults());
    monitor.processed("shard-a", START.minus(Duration.ofHours(20)), 500, 500_000);

    List<Assessment> seen = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      clock.advance(Duration.ofSeconds(10));
      seen.add(monitor.assess());
    }

    Assessment a = seen.get(seen.size() - 1);
    assertThat(a.drainRate()).isZero();
    assertThat(a.ageGrowthPerSecond()).isCloseTo(1, within(1e-9));
    assertThat(a.oldestAge()).isEqualTo(Duration.ofHours(20).plusMinutes(10));
    assertThat(a.secondsToLoss()).isCloseTo(BacklogMonitor.seconds(DAY.minus(a.oldestAge())), within(1e-6));
    assertThat(a.level()).isEqualTo(RiskLevel.WATCH);
    assertThat(a.bottleneck()).contains(Bottleneck.CONSUMERS);
    assertThat(a.recommendation()).isEqualTo(Recommendation.ADD_CONSUMERS);
  }

  @Test
  void readsNearTwoMebibytesPerSecondPerShardBlameTheShards() {
    BacklogMonitor monitor = monitor(BacklogMonitorSettings.defaults());
    monitor.writeBudget(1_000);
    // 40 records/s of 52 KiB read from one shard: 2.03 MiB/s, at the shard's ceiling.
    var sim = BacklogSimulation.everySecond(clock, monitor, List.of(
        new SteadyShard("shard-a", 100, 40, START, Duration.ofHours(20), 52 * 1024, 1)));

    Assessment a = sim.runFor(Duration.ofMinutes(6));

    assertThat(a.bottleneck()).contains(Bottleneck.SHARD_READS);
    assertThat(a.recommendation()).isEqualTo(Recommendation.ADD_SHARDS);
  }

  @Test
  void aDrainWellBelowEveryCeilingBlamesTheConsumers() {
    BacklogMonitor monitor = monitor(BacklogMonitorSettings.defaults());
    monitor.writeBudget(1_000);
    var sim = BacklogSimulation.everySecond(clock, monitor, List.of(SteadyShard.of("shard-a", 100, 40, START, Duration.ofHours(20))));

    Assessment a = sim.runFor(Duration.ofMinutes(6));

    assertThat(a.level()).isEqualTo(RiskLevel.WATCH);
    assertThat(a.bottleneck()).contains(Bottleneck.CONSUMERS);
    assertThat(a.recommendation()).isEqualTo(Recommendation.ADD_CONSUMERS);
  }

  @Test
  void aTableThatThrottlesNamesTheWriteCapacityEvenBelowTheBudget() {
    BacklogMonitor monitor = monitor(BacklogMonitorSettings.defaults());
    monitor.writeBudget(1_000);
    var sim = BacklogSimulation.everySecond(clock, monitor, List.of(SteadyShard.of("shard-a", 100, 40, START, Duration.ofHours(20))));
    sim.runFor(Duration.ofMinutes(3));
    monitor.tableThrottles(12);

    Assessment a = sim.runFor(Duration.ofMinutes(3));

    assertThat(a.bottleneck()).contains(Bottleneck.WRITE_CAPACITY);
    assertThat(a.recommendation()).isEqualTo(Recommendation.ADD_WRITE_CAPACITY);
  }

  @Test
  void oftenThrottledReadsNameTheShardsAndRareOnesDoNot() {
    BacklogMonitor monitor = monitor(BacklogMonitorSettings.defaults());
    monitor.writeBudget(1_000);
    var sim = BacklogSimulation.everySecond(clock, monitor, List.of(SteadyShard.of("shard-a", 100, 40, START, Duration.ofHours(20))));
    sim.runFor(Duration.ofMinutes(3));
    monitor.reads(600, 2);
    assertThat(sim.runFor(Duration.ofMinutes(3)).bottleneck()).as("2 of 600 calls throttled").contains(Bottleneck.CONSUMERS);
    monitor.reads(600, 450);

    Assessment a = sim.runFor(Duration.ofMinutes(3));

    assertThat(a.bottleneck()).contains(Bottleneck.SHARD_READS);
    assertThat(a.recommendation()).isEqualTo(Recommendation.ADD_SHARDS);
  }

  @Test
  void badThrottleCountsNameTheField() {
    BacklogMonitor monitor = monitor(BacklogMonitorSettings.defaults());
    assertThatThrownBy(() -> monitor.tableThrottles(-1)).isInstanceOf(InvalidFieldException.class).hasMessageContaining("monitor.tableThrottles");
    assertThatThrownBy(() -> monitor.reads(-1, 0)).hasMessageContaining("monitor.readCalls");
    assertThatThrownBy(() -> monitor.reads(3, 4)).hasMessageContaining("monitor.readThrottles");
  }

  @Test
  void aClosedShardNoLongerCounts() {
    BacklogMonitor monitor = monitor(BacklogMonitorSettings.defaults());
    monitor.processed("shard-old", START.minus(Duration.ofHours(10)), 10, 10_000);
    monitor.processed("shard-young", START.minus(Duration.ofMinutes(5)), 10, 10_000);
    clock.advance(Duration.ofSeconds(10));

    assertThat(monitor.assess().oldestAge()).isEqualTo(Duration.ofHours(10).plusSeconds(10));
    assertThat(monitor.iteratorAges()).containsEntry("shard-old", Duration.ofHours(10).plusSeconds(10));

    monitor.shardClosed("shard-old");

    assertThat(monitor.iteratorAges()).containsOnlyKeys("shard-young").containsEntry("shard-young", Duration.ofMinutes(5).plusSeconds(10));
    assertThat(monitor.assess().oldestAge()).isEqualTo(Duration.ofMinutes(5).plusSeconds(10));
  }

  @Test
  void aCaughtUpShardIsZeroOldUntilItsNextBatch() {
    BacklogMonitor monitor = monitor(BacklogMonitorSettings.defaults());
    monitor.processed("shard-a", START.minus(Duration.ofMinutes(3)), 10, 10_000);
    monitor.caughtUp("shard-a");
    clock.advance(Duration.ofMinutes(1));

    assertThat(monitor.iteratorAges()).containsEntry("shard-a", Duration.ZERO);

    monitor.processed("shard-a", clock.now().minusSeconds(2), 10, 10_000);
    clock.advance(Duration.ofSeconds(1));

    assertThat(monitor.iteratorAges()).containsEntry("shard-a", Duration.ofSeconds(3));
  }

  @Test
  void anArrivalStampedAfterNowCountsAsZeroOld() {
    BacklogMonitor monitor = monitor(BacklogMonitorSettings.defaults());
    monitor.processed("shard-a", START.plusSeconds(30), 10, 10_000);

    assertThat(monitor.iteratorAges()).containsEntry("shard-a", Duration.ZERO);
    assertThat(monitor.assess().oldestAge()).isEqualTo(Duration.ZERO);
  }

  @Test
  void noForecastIsMadeUntilTheRetentionIsKnownButTheGaugesStayNumeric() {
    BacklogMonitor monitor = new BacklogMonitor(clock, BacklogMonitorSettings.defaults());
    var sim = BacklogSimulation.everySecond(clock, monitor, List.of(SteadyShard.of("shard-a", 100, 40, START, Duration.ofMinutes(23 * 60 + 30))));

    Assessment before = sim.runFor(Duration.ofMinutes(6));

    assertThat(before.known()).isFalse();
    assertThat(before.level()).isEqualTo(RiskLevel.OK);
    assertThat(before.timeToLoss()).isEmpty();
    assertThat(before.secondsToLoss()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(before.levelValue()).isZero();
    assertThat(before.drainRate()).isCloseTo(40, withPercentage(5));
    assertThat(monitor.levelChanges()).isZero();

    monitor.retention(DAY);
    Assessment after = sim.runFor(Duration.ofSeconds(10));

    assertThat(after.known()).isTrue();
    assertThat(after.level()).isEqualTo(RiskLevel.CRITICAL);
    assertThat(after.levelValue()).isEqualTo(2);
    assertThat(monitor.levelChanges()).isEqualTo(1);
  }

  @Test
  void aSingleSampleGivesNoForecast() {
    BacklogMonitor monitor = monitor(BacklogMonitorSettings.defaults());
    monitor.processed("shard-a", START.minus(Duration.ofHours(25)), 10, 10_000);

    Assessment first = monitor.assess();

    assertThat(first.known()).isFalse();
    assertThat(first.oldestAge()).isEqualTo(Duration.ofHours(25));
    assertThat(first.drainRate()).isZero();

    clock.advance(Duration.ofSeconds(10));
    Assessment second = monitor.assess();

    assertThat(second.known()).isTrue();
    assertThat(second.level()).isEqualTo(RiskLevel.LOSS);
    assertThat(second.timeToLoss()).contains(Duration.ZERO);
  }

  /** A policy that answers whatever the test says, to drive the hysteresis directly. */
  static final class ScriptedPolicy implements RetentionRiskPolicy {
    final AtomicReference<RiskLevel> next = new AtomicReference<>(RiskLevel.OK);

    @Override
    public RiskLevel assess(BacklogObservation observation, Optional<Duration> timeToLoss) {
      return next.get();
    }
  }

  /** Assesses once after ten seconds with the policy answering the level. */
  Assessment assessAs(BacklogMonitor monitor, ScriptedPolicy policy, RiskLevel raw) {
    policy.next.set(raw);
    clock.advance(Duration.ofSeconds(10));
    monitor.processed("shard-a", clock.now().minusSeconds(60), 10, 10_000);
    return monitor.assess();
  }

  BacklogMonitor scripted(ScriptedPolicy policy, Duration calmDown) {
    BacklogMonitor monitor = monitor(BacklogMonitorSettings.defaults().withPolicy(policy).withCalmDown(calmDown));
    monitor.processed("shard-a", START.minusSeconds(60), 10, 10_000);
    monitor.assess();
    return monitor;
  }

  @Test
  void aHigherLevelIsHeldAtOnce() {
    ScriptedPolicy policy = new ScriptedPolicy();
    BacklogMonitor monitor = scripted(policy, Duration.ofMinutes(2));

    assertThat(assessAs(monitor, policy, RiskLevel.OK).level()).isEqualTo(RiskLevel.OK);
    Assessment up = assessAs(monitor, policy, RiskLevel.CRITICAL);

    assertThat(up.level()).isEqualTo(RiskLevel.CRITICAL);
    assertThat(up.rawLevel()).isEqualTo(RiskLevel.CRITICAL);
    assertThat(monitor.latest()).isEqualTo(up);
    assertThat(monitor.levelChanges()).isEqualTo(1);
  }

  @Test
  void aLowerLevelIsHeldOnlyAfterTheCalmDownAndThenTheHighestSeenMeanwhile() {
    ScriptedPolicy policy = new ScriptedPolicy();
    BacklogMonitor monitor = scripted(policy, Duration.ofMinutes(2));
    assessAs(monitor, policy, RiskLevel.CRITICAL);

    // raw below CRITICAL for 12 assessments, 110 s since the first of them: still CRITICAL
    List<RiskLevel> calm = List.of(RiskLevel.OK, RiskLevel.WATCH, RiskLevel.OK, RiskLevel.OK, RiskLevel.OK, RiskLevel.OK,
        RiskLevel.OK, RiskLevel.OK, RiskLevel.OK, RiskLevel.OK, RiskLevel.OK, RiskLevel.OK);
    for (RiskLevel raw : calm) {
      Assessment a = assessAs(monitor, policy, raw);
      assertThat(a.level()).isEqualTo(RiskLevel.CRITICAL);
      assertThat(a.rawLevel()).isEqualTo(raw);
    }
    // 120 s since the first lower one: down, to the WATCH seen during the calm-down, not to OK
    assertThat(assessAs(monitor, policy, RiskLevel.OK).level()).isEqualTo(RiskLevel.WATCH);
    assertThat(monitor.levelChanges()).isEqualTo(2);
  }

  @Test
  void aReturnToTheHeldLevelRestartsTheCalmDown() {
    ScriptedPolicy policy = new ScriptedPolicy();
    BacklogMonitor monitor = scripted(policy, Duration.ofMinutes(2));
    assessAs(monitor, policy, RiskLevel.WATCH);

    for (int i = 0; i < 12; i++) {
      assessAs(monitor, policy, RiskLevel.OK);
    }
    assessAs(monitor, policy, RiskLevel.WATCH);
    // had the calm-down not restarted, the first of these would have lowered the level
    for (int i = 0; i < 12; i++) {
      assertThat(assessAs(monitor, policy, RiskLevel.OK).level()).isEqualTo(RiskLevel.WATCH);
    }

    assertThat(assessAs(monitor, policy, RiskLevel.OK).level()).isEqualTo(RiskLevel.OK);
  }

  @Test
  void aLevelOscillatingAcrossAThresholdDoesNotFlap() {
    int changesHeld = oscillate(Duration.ofMinutes(2));
    int changesUnheld = oscillate(Duration.ZERO);

    assertThat(changesHeld).isEqualTo(1);
    assertThat(changesUnheld).as("without a calm-down the same sequence flaps").isGreaterThan(100);
  }

  private int oscillate(Duration calmDown) {
    ScriptedPolicy policy = new ScriptedPolicy();
    BacklogMonitor monitor = scripted(policy, calmDown);
    for (int i = 0; i < 360; i++) {
      assessAs(monitor, policy, i % 2 == 0 ? RiskLevel.CRITICAL : RiskLevel.WATCH);
    }
    return (int) monitor.levelChanges();
  }

  @Test
  void anAgeHoveringAtTheWatchThresholdRaisesTheLevelOnceAndHoldsIt() {
    BacklogMonitor monitor = monitor(BacklogMonitorSettings.defaults());
    // the standard policy watches from half the retention; the age swings a minute either side of it
    List<RiskLevel> raw = new ArrayList<>();
    for (int i = 0; i < 360; i++) {
      clock.advance(Duration.ofSeconds(10));
      Duration age = Duration.ofHours(12).plusMinutes(i % 2 == 0 ? 1 : -1);
      monitor.processed("shard-a", clock.now().minus(age), 100, 100_000);
      Assessment a = monitor.assess();
      raw.add(a.rawLevel());
    }

    assertThat(raw).contains(RiskLevel.OK, RiskLevel.WATCH);
    assertThat(monitor.levelChanges()).isEqualTo(1);
    assertThat(monitor.latest().level()).isEqualTo(RiskLevel.WATCH);
  }

  @Test
  void theChangeLineNamesTheLevelTheTimeToLossTheRequiredDrainAndTheRecommendation() {
    BacklogMonitor monitor = monitor(BacklogMonitorSettings.defaults());
    var sim = BacklogSimulation.everySecond(clock, monitor, List.of(SteadyShard.of("shard-a", 100, 40, START, Duration.ofMinutes(23 * 60 + 30))));
    Assessment a = sim.runFor(Duration.ofMinutes(6));

    String line = a.describeChangeFrom(RiskLevel.OK);

    assertThat(line).contains("CRITICAL (was OK)", "loss in ", String.format(Locale.ROOT, "needs %.1f/s", a.requiredDrainRate()),
        "ADD_CONSUMERS");
  }

  @Test
  void frequentScrapesKeepTheSamplesBounded() {
    BacklogMonitor monitor = monitor(BacklogMonitorSettings.defaults());
    var sim = new BacklogSimulation(clock, monitor, List.of(SteadyShard.of("shard-a", 100, 40, START, Duration.ofHours(2))),
        Duration.ofMillis(100), Duration.ofMillis(100));

    Assessment a = sim.runFor(Duration.ofMinutes(15));

    assertThat(monitor.samplesHeld()).isLessThanOrEqualTo(BacklogMonitorSettings.defaults().maxSamples() + 2);
    assertThat(a.arrivalRate()).isCloseTo(100, withPercentage(5));
  }

  @Test
  void theMonitorRefusesInputsOutsideTheirLimits() {
    BacklogMonitor monitor = new BacklogMonitor(clock, BacklogMonitorSettings.defaults());

    assertThatThrownBy(() -> monitor.retention(Duration.ZERO)).hasMessageContaining("monitor.retention");
    assertThatThrownBy(() -> monitor.processed("", START, 1, 1)).hasMessageContaining("monitor.shardId");
    assertThatThrownBy(() -> monitor.processed("s", null, 1, 1)).hasMessageContaining("monitor.oldestArrival");
    assertThatThrownBy(() -> monitor.processed("s", START, -1, 1)).hasMessageContaining("monitor.records");
    assertThatThrownBy(() -> monitor.processed("s", START, 1, -1)).hasMessageContaining("monitor.bytes");
    assertThatThrownBy(() -> monitor.writeBudget(0)).hasMessageContaining("monitor.writeBudget");
    assertThatThrownBy(() -> monitor.writeUnits(-1)).hasMessageContaining("monitor.writeUnits");
    assertThat(monitor.iteratorAges()).isEmpty();
  }

  @Test
  void batchesReportedFromManyProcessorThreadsAreAllCounted() throws Exception {
    BacklogMonitor monitor = monitor(BacklogMonitorSettings.defaults());
    monitor.assess();
    int threads = 4;
    int batches = 10_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String shard = "shard-" + t;
        done.add(pool.submit(() -> {
          for (int i = 0; i < batches; i++) {
            monitor.processed(shard, START.minusSeconds(60), 1, 100);
            monitor.writeUnits(1);
            monitor.iteratorAges();
          }
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    clock.advance(Duration.ofSeconds(10));

    Assessment a = monitor.assess();

    assertThat(a.drainRate()).isEqualTo(threads * batches / 10.0);
    assertThat(monitor.iteratorAges()).hasSize(threads);
  }
}
