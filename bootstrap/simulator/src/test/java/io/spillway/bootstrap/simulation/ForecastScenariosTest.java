package io.spillway.bootstrap.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The live forecast on every shipped fault scenario that loses records: its first alarm comes at
 * least six simulated hours before the loss (each backlog grows for a day first), the loss time it
 * projects then is within 10 % of the actual, it names the bottleneck the scenario injected, and
 * its level only rises before the loss.
 */
class ForecastScenariosTest {

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
      "retention-expiry, WRITE_CAPACITY, ADD_WRITE_CAPACITY",
      "consumers-outage, CONSUMERS, ADD_CONSUMERS",
      "shard-read-contention, SHARD_READS, ADD_SHARDS"})
  void theFirstAlarmComesHoursAheadWithTheLossTimeAndTheBottleneckRight(String scenario, String bottleneck, String recommendation) {
    Scenario s = ScenarioLoader.named(scenario);
    ArchitectureResult spillway = new Simulation(s).run(List.of("spillway"), Progress.silent()).architecture("spillway");

    assertThat(spillway.firstLossAt()).as("the scenario loses records").isNotNull();
    // the backlog grew for longer than the lead asked of the forecast: from nothing to the retention
    assertThat(spillway.timeline().get(0).backlogAgeSeconds()).isLessThan(3_600);
    assertThat(spillway.maxIteratorAgeSeconds).isGreaterThan(s.stream.retentionHours * 3_600 - 120);

    assertThat(spillway.alarmLeadTimeSeconds()).as("lead time").isGreaterThanOrEqualTo(6 * 3_600.0);
    assertThat(spillway.projectionErrorPercent()).as("projected loss at the first alarm against the actual").isLessThanOrEqualTo(10.0);
    assertThat(spillway.bottleneckAtFirstAlarm()).isEqualTo(bottleneck);

    long lossAt = Duration.between(Simulation.START, spillway.firstLossAt()).toSeconds();
    List<Map<String, Object>> before = spillway.alarms.stream()
        .filter(a -> ((Number) a.get("atSeconds")).longValue() < lossAt && !"LOSS".equals(a.get("level"))).toList();
    assertThat(before).extracting(a -> a.get("level")).as("no flapping: the level only rises before the loss").containsExactly("WATCH", "CRITICAL");
    assertThat(before).extracting(a -> a.get("recommendation")).containsOnly(recommendation);
    long critical = ((Number) before.get(1).get("atSeconds")).longValue();
    assertThat(lossAt - critical).as("CRITICAL ahead of the loss (s)").isGreaterThanOrEqualTo(5 * 3_600);
  }

  @Test
  void theSeedDayRaisesNoAlarm() {
    ArchitectureResult spillway = new Simulation(ScenarioLoader.named("seed-case-study")).run(List.of("spillway"), Progress.silent())
        .architecture("spillway");
    assertThat(spillway.alarms).isEmpty();
    assertThat(spillway.levelChanges()).isZero();
    assertThat(spillway.alarmLeadTimeSeconds()).isNull();
  }
}
