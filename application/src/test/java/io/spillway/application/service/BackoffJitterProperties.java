package io.spillway.application.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

class BackoffJitterProperties {

  @Property
  void aJitteredWaitLiesBetweenHalfAndAllOfTheExponentialWait(
      @ForAll @IntRange(min = 0, max = 40) int failures, @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double unit) {
    Duration base = Duration.ofMillis(50);
    Duration max = Duration.ofSeconds(5);
    Duration full = Backoff.after(failures, base, max);

    Duration wait = Backoff.jittered(failures, base, max, () -> unit);

    assertThat(wait).isBetween(full.dividedBy(2), full);
  }

  @Property
  void differentDrawsSpreadTheRetries(@ForAll @IntRange(min = 3, max = 10) int failures) {
    Duration base = Duration.ofMillis(50);
    Duration max = Duration.ofSeconds(60);
    assertThat(Backoff.jittered(failures, base, max, () -> 0.0)).isLessThan(Backoff.jittered(failures, base, max, () -> 0.99));
  }
}
