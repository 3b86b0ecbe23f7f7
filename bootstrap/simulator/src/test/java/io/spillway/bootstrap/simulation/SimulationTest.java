package io.spillway.bootstrap.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.domain.InvalidFieldException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulation's promises on small scenarios: determinism, conservation, outputs, and scenario errors. */
class SimulationTest {

  @Test
  void theSameScenarioAndSeedGiveByteIdenticalJson() {
    Scenario a = Scenarios.small(42, 400, 2, 200);
    a.faults.add(new Scenario.Fault("throttling-storm", 1, 20));
    Scenario b = Scenarios.small(42, 400, 2, 200);
    b.faults.add(new Scenario.Fault("throttling-storm", 1, 20));

    String first = new Simulation(a).run(Progress.silent()).json();
    String second = new Simulation(b).run(Progress.silent()).json();

    assertThat(first).isEqualTo(second);
    String otherSeed = new Simulation(Scenarios.small(43, 400, 2, 200)).run(Progress.silent()).json();
    assertThat(otherSeed).as("the seed draws the jobs").isNotEqualTo(first);
  }

  @Test
  void everyArchitectureMeetsTheSameJobsAndAccountsForEveryEvent() {
    Simulation.Report r = new Simulation(Scenarios.small(5, 600, 1, 100)).run(Progress.silent());

    assertThat(r.architectures()).extracting(x -> x.name).containsExactlyElementsOf(Simulation.ARCHITECTURES);
    for (ArchitectureResult a : r.architectures()) {
      assertThat(a.jobsArrivedCount()).isEqualTo(r.jobsScheduled());
      assertThat(a.eventsProduced()).as(a.name).isPositive()
          .isEqualTo(a.eventsStored() + a.eventsLost() + a.eventsInFlight());
    }
  }

  @Test
  void outputsTheTimelineChartsAndPage(@TempDir Path dir) throws Exception {
    Simulation.Report r = new Simulation(Scenarios.small(3, 200, 2, 500)).run(Progress.silent());

    ReportFiles.write(r, dir);

    List<String> csv = Files.readAllLines(dir.resolve("timeline.csv"));
    assertThat(csv.get(0)).isEqualTo(ReportFiles.CSV_HEADER);
    long minutes = (long) ((3.0 + 0.5) * 60);
    assertThat(csv).hasSize(1 + Simulation.ARCHITECTURES.size() * (int) (minutes - 1));
    for (String png : List.of("backlog-age.png", "write-rate.png", "availability.png")) {
      byte[] bytes = Files.readAllBytes(dir.resolve(png));
      assertThat(bytes).as(png).startsWith(0x89, 'P', 'N', 'G');
    }
    String html = Files.readString(dir.resolve("index.html"));
    assertThat(html).contains("<img src=\"backlog-age.png\"", "<img src=\"write-rate.png\"", "<img src=\"availability.png\"", "spillway");
  }

  @Test
  void aScenarioFieldOutOfRangeIsNamedWithItsValueAndLimit() {
    assertThatThrownBy(() -> ScenarioLoader.parse(yaml("stream: {shards: 0}"), "test"))
        .isInstanceOf(InvalidFieldException.class).hasMessageContaining("stream.shards").hasMessageContaining("0.0").hasMessageContaining("1.0..10000.0");
    assertThatThrownBy(() -> ScenarioLoader.parse(yaml("stream: {shard: 4}"), "test"))
        .isInstanceOf(InvalidFieldException.class).hasMessageContaining("stream.shard").hasMessageContaining("known field");
    assertThatThrownBy(() -> ScenarioLoader.parse(yaml("faults: [{type: meteor, atHour: 1}]"), "test"))
        .isInstanceOf(InvalidFieldException.class).hasMessageContaining("faults[0].type").hasMessageContaining("meteor");
  }

  @Test
  void everyShippedScenarioLoads() {
    for (String name : ScenarioLoader.NAMED) {
      assertThat(ScenarioLoader.named(name).name).isEqualTo(name);
    }
  }

  private static ByteArrayInputStream yaml(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }
}
