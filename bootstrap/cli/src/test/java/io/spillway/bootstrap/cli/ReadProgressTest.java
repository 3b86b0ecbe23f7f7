package io.spillway.bootstrap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The progress line of {@code spillway read}: what it says, and that it redraws at most four times a second. */
class ReadProgressTest {

  @Test
  void theLineGivesEventsOfTheTotalRateAndTimeLeft() {
    // 500,000 of 2,000,000 events in 10 s at 45 MB written: 1,500,000 left at 50,000/s
    assertThat(ReadProgress.line(500_000, OptionalLong.of(2_000_000), 45_000_000, 10_000_000_000L))
        .isEqualTo("500,000 / 2,000,000 events (25.0 %)  4.5 MB/s  ETA 0:30");
    assertThat(ReadProgress.line(2_000_000, OptionalLong.of(2_000_000), 90_000_000, 20_000_000_000L))
        .as("done: no time left to show").isEqualTo("2,000,000 / 2,000,000 events (100.0 %)  4.5 MB/s");
    assertThat(ReadProgress.line(1_234, OptionalLong.empty(), 2_000_000, 1_000_000_000L))
        .as("a group read has no total").isEqualTo("1,234 events  2.0 MB/s");
  }

  @Test
  void itRedrawsAtMostEveryQuarterSecondAndEndsItsLineOnlyIfItDrewOne() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    ReadProgress quiet = new ReadProgress(err, OptionalLong.of(10), 0);
    quiet.update(1, 10, 100_000_000L);
    quiet.done();
    assertThat(bytes.size()).isZero();

    ReadProgress progress = new ReadProgress(err, OptionalLong.of(10), 0);
    progress.update(2, 10, 250_000_000L);
    progress.update(3, 10, 400_000_000L);
    progress.update(4, 10, 500_000_000L);
    progress.done();
    String drawn = bytes.toString(StandardCharsets.UTF_8);
    assertThat(drawn.chars().filter(c -> c == '\r').count()).isEqualTo(2);
    assertThat(drawn).endsWith(System.lineSeparator()).contains("\r4 / 10 events (40.0 %)");
  }
}
