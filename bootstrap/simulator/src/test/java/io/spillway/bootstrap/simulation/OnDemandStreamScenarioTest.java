package io.spillway.bootstrap.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.domain.InvalidFieldException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code stream.mode: on-demand}: validated, run end to end by the spillway architecture, priced per stream-hour and GB. */
class OnDemandStreamScenarioTest {

  static Scenario parse(String yaml) throws Exception {
    return ScenarioLoader.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test");
  }

  static Scenario onDemand(Scenario s) {
    s.stream.mode = "on-demand";
    return s.validate();
  }

  static ArchitectureResult spillway(Scenario s) {
    return new Simulation(s).run(List.of("spillway"), Progress.silent()).architecture("spillway");
  }

  @Test
  void theModeDefaultsToProvisionedAndOnDemandIsRead() throws Exception {
    assertThat(new Scenario().stream.mode).isEqualTo("provisioned");
    Scenario s = parse("stream: {mode: on-demand, retentionHours: 48}\nconsumers: {workers: 4}\n");

    assertThat(s.stream.onDemandMode()).isTrue();
    assertThat(s.stream.onDemandMaxWriteMegabytesPerSecond).isEqualTo(10_000);
  }

  @Test
  void anUnknownModeIsRefusedNamingTheFieldTheValueAndTheChoices() {
    assertThatThrownBy(() -> parse("stream: {mode: serverless}\n")).isInstanceOf(InvalidFieldException.class)
        .hasMessageContaining("stream.mode").hasMessageContaining("serverless").hasMessageContaining("provisioned or on-demand");
  }

  @Test
  void onDemandIgnoresAShardCountAndSurvivesACopy() throws Exception {
    Scenario s = parse("stream: {mode: on-demand, shards: 8}\nconsumers: {workers: 4}\n");
    ArchitectureResult r = spillway(CapacitySearch.copy(onDemand(Scenarios.small(3, 200, 8, 400))));

    assertThat(s.stream.onDemandMode()).isTrue();
    assertThat(r.cost).as("priced as on-demand, not as 8 shards").containsKey("kinesisOnDemandStream").doesNotContainKey("kinesisShards");
  }

  @Test
  void onDemandIsReadThroughItsFourInitialShardsSoAtMostFourWorkers() {
    assertThatThrownBy(() -> parse("stream: {mode: on-demand}\nconsumers: {workers: 5}\n")).isInstanceOf(InvalidFieldException.class)
        .hasMessageContaining("consumers.workers").hasMessageContaining("5").hasMessageContaining("4");
  }

  @Test
  void theMaximumAndTheOnDemandPricesAreRangeChecked() {
    assertThatThrownBy(() -> parse("stream: {mode: on-demand, onDemandMaxWriteMegabytesPerSecond: 20000}\n"))
        .isInstanceOf(InvalidFieldException.class).hasMessageContaining("stream.onDemandMaxWriteMegabytesPerSecond").hasMessageContaining("10000");
    assertThatThrownBy(() -> parse("prices: {kinesisOnDemandIngestGb: -1}\n"))
        .isInstanceOf(InvalidFieldException.class).hasMessageContaining("prices.kinesisOnDemandIngestGb");
  }

  @Test
  void belowFourMegabytesASecondAnOnDemandStreamCarriesTheDayAsFourProvisionedShardsDo() {
    ArchitectureResult provisioned = spillway(Scenarios.small(11, 300, 4, 400));
    ArchitectureResult onDemand = spillway(onDemand(Scenarios.small(11, 300, 4, 400)));

    assertThat(onDemand.jobsCompleted()).isPositive().isEqualTo(provisioned.jobsCompleted());
    assertThat(onDemand.eventsProduced()).isEqualTo(onDemand.eventsStored() + onDemand.eventsLost() + onDemand.eventsInFlight());
    assertThat(onDemand.eventsBothStoredAndLost()).isZero();
    assertThat(onDemand.eventsStored()).isEqualTo(provisioned.eventsStored());
    assertThat(onDemand.availabilitySeconds()).isEqualTo(provisioned.availabilitySeconds());
  }

  @Test
  void aBurstPastFourMegabytesASecondIsThrottledOnANewOnDemandStreamAndNothingIsLost() {
    ArchitectureResult eightShards = spillway(burst(false));
    ArchitectureResult onDemand = spillway(burst(true));

    assertThat(onDemand.throttledRequests).as("a new stream takes 4 MB/s, eight shards 8").isGreaterThan(eightShards.throttledRequests);
    assertThat(onDemand.eventsLost()).isZero();
    assertThat(onDemand.eventsProduced()).isEqualTo(onDemand.eventsStored() + onDemand.eventsInFlight());
    assertThat(onDemand.jobsCompleted()).isEqualTo(eightShards.jobsCompleted()).isPositive();
  }

  /** Eight jobs at once, each writing about 0.8 MB a second to the stream for a minute and a half. */
  static Scenario burst(boolean onDemand) {
    Scenario s = Scenarios.small(5, 0, 8, 20_000);
    s.workload.bursts.add(new Scenario.Burst());
    s.workload.bursts.get(0).atHour = 0.5;
    s.workload.bursts.get(0).jobs = 8;
    s.workload.bursts.get(0).withinMinutes = 0.1;
    for (Scenario.JobClassSpec c : s.workload.classes) {
      c.eventsMedian = 2_000_000;
      c.eventsSigma = 0;
      c.eventsPerSecond = 20_000;
    }
    s.producers.hosts = 8;
    s.producers.bufferMegabytes = 256;
    s.consumers.workers = 4;
    s.consumers.writeUnitsPerSecondPerWorker = 20_000;
    if (onDemand) {
      s.stream.mode = "on-demand";
    }
    return s.validate();
  }

  @Test
  void anOnDemandStreamIsPricedPerStreamHourAndPerGigabyteWrittenAndRead() {
    Scenario s = onDemand(Scenarios.small(11, 300, 4, 400));
    ArchitectureResult r = spillway(s);

    assertThat(r.cost).doesNotContainKeys("kinesisShards", "kinesisPuts");
    assertThat(r.cost.get("kinesisOnDemandStream")).as("720 stream-hours at 0.04").isCloseTo(28.8, org.assertj.core.data.Offset.offset(1e-9));
    double ingest = r.cost.get("kinesisOnDemandIngest");
    double retrieval = r.cost.get("kinesisOnDemandRetrieval");
    assertThat(ingest).isPositive();
    // everything written is read about once, at half the price; ingest rounds each record up to 1 KiB
    assertThat(retrieval / ingest).isBetween(0.45, 0.5);
    assertThat(r.cost).doesNotContainKey("kinesisOnDemandExtendedRetention");

    Scenario dearer = onDemand(Scenarios.small(11, 300, 4, 400));
    dearer.prices.kinesisOnDemandIngestGb = 0.16;
    dearer.stream.retentionHours = 24 * 10;
    ArchitectureResult d = spillway(dearer);
    assertThat(d.cost.get("kinesisOnDemandIngest")).isCloseTo(2 * ingest, org.assertj.core.data.Offset.offset(1e-9));
    // a day's writes for each of days 2..7 at 0.10, for days 8..10 at 0.023
    double writtenPerDay = ingest / 0.08 / 30;
    assertThat(d.cost.get("kinesisOnDemandExtendedRetention")).isCloseTo(writtenPerDay * 6 * 0.10, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(d.cost.get("kinesisOnDemandLongTermRetention")).isCloseTo(writtenPerDay * 3 * 0.023, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void aProvisionedStreamIsStillPricedByTheShardHour() {
    ArchitectureResult r = spillway(Scenarios.small(11, 300, 4, 400));

    assertThat(r.cost.get("kinesisShards")).isCloseTo(4 * 720 * 0.015, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(r.cost).doesNotContainKey("kinesisOnDemandStream");
  }
}
