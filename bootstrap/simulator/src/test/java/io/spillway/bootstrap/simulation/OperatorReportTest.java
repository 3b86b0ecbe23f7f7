package io.spillway.bootstrap.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code simulate --out} leaves for an operator: verdicts, the stalled/unfinished table, units everywhere, charts that decode. */
class OperatorReportTest {

  @Test
  void theReportLeadsWithVerdictsAndSaysItsUnits(@TempDir Path dir) throws Exception {
    Scenario s = Scenarios.small(3, 200, 2, 500);
    Simulation.Report r = new Simulation(s).run(Progress.silent());

    ReportFiles.write(r, dir);

    String html = Files.readString(dir.resolve("index.html"));
    assertThat(html).contains("<h2>Verdict</h2>", "<h2>Stalled and unfinished jobs</h2>", "jobs arrived (jobs)", "jobs incomplete, events lost (jobs)",
        "jobs unfinished when the run ended (jobs)", "computation stalled, all jobs (s)", "availability p99 (s)", "cost ($/month)",
        "peak producer buffer, one host (bytes)", "<img src=\"producer-buffer.png\"");
    for (ArchitectureResult a : r.architectures()) {
      String verdict = a.verdict(s);
      assertThat(verdict).as(a.name).containsAnyOf("meets the 300 s target", "misses the 300 s target", "lost ", "unfinished");
      assertThat(html).contains("<li><b>" + a.name + "</b>: " + verdict.replace("&", "&amp;") + "</li>");
    }
    assertThat(Files.readString(dir.resolve("summary.json"))).contains("\"verdict\" : \"" + r.architecture("spillway").verdict(s) + "\"");

    String header = Files.readAllLines(dir.resolve("timeline.csv")).get(0);
    assertThat(header.split(",")).contains("minute_min", "backlog_age_s", "retention_s", "write_units_per_s", "capacity_units_per_s", "write_unit",
        "peak_buffered_bytes_one_host", "buffer_bound_bytes_per_host", "backlog_bytes");

    int panels = Simulation.ARCHITECTURES.size();
    for (String png : List.of("backlog-age.png", "write-rate.png", "producer-buffer.png", "availability.png")) {
      BufferedImage image = ImageIO.read(dir.resolve(png).toFile());
      assertThat(image).as(png).isNotNull();
      assertThat(image.getWidth()).as(png).isEqualTo(1000);
      assertThat(image.getHeight()).as(png).isBetween(400, 120 + 200 * panels);
    }
    assertThat(ImageIO.read(dir.resolve("write-rate.png").toFile()).getHeight()).as("one panel per architecture").isEqualTo(120 + 200 * panels);
    assertThat(html).as("a small table needs no quota increase").doesNotContain("Quota increases needed");
  }

  @Test
  void aSeedScaleReportListsTheQuotaIncreasesItsCapacityNeeds(@TempDir Path dir) throws Exception {
    Scenario s = ScenarioLoader.named("seed-case-study");
    s.days = 0.5;
    s.workload.bursts.remove(1);
    Simulation.Report r = new Simulation(s).run(List.of("spillway"), Progress.silent());

    ReportFiles.write(r, dir);

    String html = Files.readString(dir.resolve("index.html"));
    assertThat(html).contains("<h2>Quota increases needed</h2>",
        "<li><b>spillway</b>: DynamoDB table write capacity (WCU/s) 1,500,000 (default 40,000, x37.5)",
        "Kinesis shards per account outside us-east-1, us-west-2, eu-west-1 1,976 (default 1,000, x2.0)");
  }

  @Test
  void theFullestHostsBufferIsSampledAndNeverAboveTheRunsPeak() {
    Simulation.Report r = new Simulation(Scenarios.small(3, 200, 2, 500)).run(List.of("spillway"), Progress.silent());
    ArchitectureResult a = r.architecture("spillway");

    assertThat(a.timeline()).extracting(TimelineRow::fullestHostBufferedBytes).anyMatch(b -> b > 0)
        .allMatch(b -> b <= a.maxProducerBufferBytes());
    assertThat(a.timeline()).extracting(TimelineRow::fullestHostBufferedBytes).as("the run's peak shows in the minute that set it")
        .contains(a.maxProducerBufferBytes());
  }
}
