package io.spillway.adapters.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.domain.InvalidFieldException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** An on-demand stream's write allowance as documented: 4 MB/s new, twice the settled peak of 30 days, capped. */
class OnDemandStreamCapacityTest {
  static final Instant T = Instant.parse("2026-01-05T00:00:00Z");
  static final long MB = 1_000_000;

  static Instant at(long seconds) {
    return T.plusSeconds(seconds);
  }

  /** Writes as much as the allowance takes in each second of [from, to), in 10 KB records; returns the bytes of the last second. */
  static long saturate(OnDemandStreamCapacity c, long from, long to) {
    long last = 0;
    for (long s = from; s < to; s++) {
      last = c.grantRecords(1_000_000, 10_000, at(s)) * 10_000L;
    }
    return last;
  }

  @Test
  void aNewStreamTakesFourMegabytesASecondAndThrottlesPastIt() {
    OnDemandStreamCapacity c = OnDemandStreamCapacity.startingAt(T);

    for (int i = 0; i < 4; i++) {
      assertThat(c.tryWrite(MB, 1, at(0))).as("megabyte %d", i + 1).isTrue();
    }
    assertThat(c.tryWrite(1, 1, at(0))).as("past 4 MB in the second").isFalse();
    assertThat(c.tryWrite(MB, 1, at(1))).as("the next second").isTrue();
    assertThat(c.writeBytesPerSecond(at(1))).isEqualTo(4 * MB);
    assertThat(c.shards(at(1))).isEqualTo(4);
    assertThat(c.throttledRecords()).isEqualTo(1);
  }

  @Test
  void aNewStreamTakesFourThousandRecordsASecond() {
    OnDemandStreamCapacity c = OnDemandStreamCapacity.startingAt(T);

    assertThat(c.grantRecords(5_000, 100, at(0))).isEqualTo(4_000);
    assertThat(c.tryWrite(100, 1, at(0))).isFalse();
    assertThat(c.grantRecords(5_000, 100, at(1))).isEqualTo(4_000);
    assertThat(c.writeRecordsPerSecond(at(1))).isEqualTo(4_000);
  }

  @Test
  void sustainedSaturationDoublesTheAllowanceAfterFifteenToSixteenMinutes() {
    OnDemandStreamCapacity c = OnDemandStreamCapacity.startingAt(T);

    assertThat(saturate(c, 0, 16 * 60)).isEqualTo(4 * MB);
    assertThat(c.writeBytesPerSecond(at(16 * 60 - 1))).as("minute 15: the first peak has not settled").isEqualTo(4 * MB);
    assertThat(c.writeBytesPerSecond(at(16 * 60))).as("minute 16: twice the peak of minute 0").isEqualTo(8 * MB);
    assertThat(c.shards(at(16 * 60))).isEqualTo(8);

    assertThat(saturate(c, 16 * 60, 32 * 60)).isEqualTo(8 * MB);
    assertThat(c.writeBytesPerSecond(at(32 * 60))).isEqualTo(16 * MB);
    assertThat(c.shards(at(32 * 60))).isEqualTo(16);
  }

  @Test
  void theAllowanceNeverPassesThePerStreamMaximum() {
    OnDemandStreamCapacity c = new OnDemandStreamCapacity(T, OnDemandStreamCapacity.Settings.standard().withMaxMegabytesPerSecond(200));
    double most = 0;
    for (long s = 0; s < 3 * 3_600; s++) {
      c.grantRecords(1_000_000, 100_000, at(s));
      most = Math.max(most, c.writeBytesPerSecond(at(s)));
    }

    assertThat(most).isEqualTo(200 * MB);
    assertThat(c.grantRecords(1_000_000, 100_000, at(3 * 3_600)) * 100_000L).as("a second at the cap").isEqualTo(200 * MB);
    assertThat(c.shards(at(3 * 3_600))).isEqualTo(200);
  }

  @Test
  void theDefaultMaximumIsNorthVirginiasTenGigabytesASecond() {
    OnDemandStreamCapacity.Settings s = OnDemandStreamCapacity.Settings.standard();

    assertThat(s.maxBytesPerSecond()).isEqualTo(10_000 * MB);
    assertThat(s.initialBytesPerSecond()).isEqualTo(4 * MB);
    assertThat(s.scaleDelay()).isEqualTo(Duration.ofMinutes(15));
    assertThat(s.peakWindow()).isEqualTo(Duration.ofDays(30));
  }

  @Test
  void aJumpPastTwiceThePreviousPeakIsThrottledUntilTheNewPeakSettles() {
    OnDemandStreamCapacity c = OnDemandStreamCapacity.startingAt(T);
    // a steady 3 MB/s for 20 minutes: the allowance becomes 6 MB/s
    for (long s = 0; s < 20 * 60; s++) {
      assertThat(c.tryWrite(3 * MB, 3, at(s))).isTrue();
    }
    assertThat(c.writeBytesPerSecond(at(20 * 60))).isEqualTo(6 * MB);

    // then 10 MB/s, more than twice the peak: 6 MB of it a second, for about 15 minutes
    long jump = 20 * 60;
    long throttledSeconds = 0;
    for (long s = jump; s < jump + 20 * 60; s++) {
      long granted = c.grantRecords(1_000, 10_000, at(s)) * 10_000L;
      if (granted < 10 * MB) {
        throttledSeconds++;
        assertThat(granted).isEqualTo(6 * MB);
      }
    }

    assertThat(throttledSeconds).as("minutes 20 to 35 throttled, from minute 36 the 6 MB/s peak allows 12").isEqualTo(16 * 60);
    assertThat(c.writeBytesPerSecond(at(jump + 20 * 60))).isEqualTo(12 * MB);
  }

  @Test
  void aJumpWithinTwiceThePreviousPeakIsTakenAtOnce() {
    OnDemandStreamCapacity c = OnDemandStreamCapacity.startingAt(T);
    for (long s = 0; s < 20 * 60; s++) c.tryWrite(3 * MB, 3, at(s));

    assertThat(c.tryWrite(6 * MB, 6, at(20 * 60))).isTrue();
  }

  @Test
  void aPeakIsForgottenAfterThirtyDays() {
    OnDemandStreamCapacity c = OnDemandStreamCapacity.startingAt(T);
    saturate(c, 0, 5 * 16 * 60);
    double grown = c.writeBytesPerSecond(at(5 * 16 * 60));
    assertThat(grown).isEqualTo(128 * MB);

    assertThat(c.writeBytesPerSecond(at(Duration.ofDays(29).toSeconds()))).as("29 days later").isEqualTo(grown);
    assertThat(c.writeBytesPerSecond(at(Duration.ofDays(31).toSeconds()))).as("31 days later, nothing written since").isEqualTo(4 * MB);
    assertThat(c.shards(at(Duration.ofDays(31).toSeconds()))).isEqualTo(4);
  }

  @Test
  void aWriteTimedBeforeTheLatestIsChargedToItsOwnSecondAndItsOwnMinutesAllowance() {
    OnDemandStreamCapacity c = OnDemandStreamCapacity.startingAt(T);
    saturate(c, 0, 60);
    // another caller has reached minute 16, where the allowance is 8 MB/s
    assertThat(c.tryWrite(8 * MB, 8, at(16 * 60 + 10))).isTrue();

    // a late caller at 15:50 still meets minute 15's 4 MB/s, in a second nobody else wrote in
    assertThat(c.tryWrite(5 * MB, 5, at(15 * 60 + 50))).isFalse();
    assertThat(c.tryWrite(4 * MB, 4, at(15 * 60 + 50))).isTrue();
    assertThat(c.writeBytesPerSecond(at(15 * 60 + 50))).isEqualTo(4 * MB);
  }

  @Test
  void theShardsHoldTheAllowanceAtAShardsLimits() {
    assertThat(OnDemandStreamCapacity.shardsFor(4 * MB, 4_000)).isEqualTo(4);
    assertThat(OnDemandStreamCapacity.shardsFor(9.5 * MB, 4_000)).isEqualTo(10);
    assertThat(OnDemandStreamCapacity.shardsFor(4 * MB, 12_000)).as("records need more").isEqualTo(12);
  }

  @Test
  void settingsOutOfRangeNameTheFieldAndTheLimit() {
    assertThatThrownBy(() -> new OnDemandStreamCapacity.Settings(4 * MB, 4_000, MB, 4_000, Duration.ofMinutes(15), Duration.ofDays(30)))
        .isInstanceOf(InvalidFieldException.class).hasMessageContaining("stream.onDemand.maxBytesPerSecond").hasMessageContaining(">=");
    assertThatThrownBy(() -> new OnDemandStreamCapacity.Settings(4 * MB, 4_000, 8 * MB, 8_000, Duration.ofSeconds(90), Duration.ofDays(30)))
        .isInstanceOf(InvalidFieldException.class).hasMessageContaining("stream.onDemand.scaleDelay");
  }
}
