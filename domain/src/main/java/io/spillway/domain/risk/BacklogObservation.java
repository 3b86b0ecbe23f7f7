package io.spillway.domain.risk;

import io.spillway.domain.Checks;
import io.spillway.domain.InvalidFieldException;
import java.time.Duration;
import java.time.Instant;

/**
 * What an operator sees of a stream's backlog at one instant: retention, the age of the oldest
 * unconsumed record (iterator age), the arrival rate and the drain limits, all rates in the same
 * unit (records/s or bytes/s).
 */
public record BacklogObservation(Instant observedAt, Duration retention, Duration oldestAge, double arrivalRate, DrainLimits drain) {
  public BacklogObservation {
    Checks.required("observation.observedAt", observedAt);
    Checks.required("observation.retention", retention);
    if (retention.isNegative() || retention.isZero()) {
      throw new InvalidFieldException("observation.retention", retention, "a positive duration");
    }
    Checks.required("observation.oldestAge", oldestAge);
    if (oldestAge.isNegative()) {
      throw new InvalidFieldException("observation.oldestAge", oldestAge, "zero or more");
    }
    if (!(arrivalRate >= 0) || Double.isInfinite(arrivalRate)) {
      throw new InvalidFieldException("observation.arrivalRate", arrivalRate, "a finite rate >= 0");
    }
    Checks.required("observation.drain", drain);
  }

  public double drainRate() {
    return drain.rate();
  }
}
