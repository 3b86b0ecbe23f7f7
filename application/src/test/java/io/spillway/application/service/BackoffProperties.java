package io.spillway.application.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class BackoffProperties {

  @Property
  void doublesPerFailureUntilTheMaximumAndNeverPassesIt(
      @ForAll @IntRange(min = 0, max = 1_000) int failures,
      @ForAll @LongRange(min = 1, max = 10_000_000_000L) long baseNanos,
      @ForAll @LongRange(min = 0, max = 100_000_000_000L) long extraNanos) {
    Duration base = Duration.ofNanos(baseNanos);
    Duration max = Duration.ofNanos(baseNanos + extraNanos);

    Duration wait = Backoff.after(failures, base, max);
    Duration next = Backoff.after(failures + 1, base, max);

    assertThat(wait).isBetween(base, max);
    assertThat(next).isGreaterThanOrEqualTo(wait);
    assertThat(next.equals(max) || next.equals(wait.multipliedBy(2))).isTrue();
    assertThat(Backoff.after(0, base, max)).isEqualTo(base);
  }
}
