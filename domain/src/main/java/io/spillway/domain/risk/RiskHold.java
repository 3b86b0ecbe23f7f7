package io.spillway.domain.risk;

import io.spillway.domain.InvalidFieldException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Holds a risk level from successive projections with hysteresis, so that noise around a
 * threshold does not flap it: a level is entered when the projected time to loss falls below its
 * enter threshold and left only once the projection has stayed above the (longer) leave threshold
 * — or loss stopped — for the whole minimum dwell. LOSS is held while records are being lost or
 * loss is projected within CRITICAL's enter threshold: records expire one by one, so the oldest age
 * dips under the retention between them. Rising is immediate; falling goes to the highest
 * lower level whose band any of the dwell's projections was inside.
 *
 * <p>Not thread-safe; one per monitored stream.
 */
public final class RiskHold {
  private final Bands bands;
  private RiskLevel held = RiskLevel.OK;
  private Instant calmSince;
  private RiskLevel calmPeak;
  private long changes;

  /**
   * The thresholds, as projected time to loss: WATCH entered below {@code watchEnter} and left
   * above {@code watchLeave}; CRITICAL likewise; a lower level is taken only after {@code minDwell}
   * of projections that would not keep the held one.
   */
  public record Bands(Duration criticalEnter, Duration criticalLeave, Duration watchEnter, Duration watchLeave, Duration minDwell) {
    public Bands {
      positive("bands.criticalEnter", criticalEnter);
      positive("bands.watchEnter", watchEnter);
      if (criticalLeave == null || criticalLeave.compareTo(criticalEnter) < 0) {
        throw new InvalidFieldException("bands.criticalLeave", criticalLeave, "at least criticalEnter (" + criticalEnter + ")");
      }
      if (watchEnter.compareTo(criticalEnter) < 0) {
        throw new InvalidFieldException("bands.watchEnter", watchEnter, "at least criticalEnter (" + criticalEnter + ")");
      }
      if (watchLeave == null || watchLeave.compareTo(watchEnter) < 0) {
        throw new InvalidFieldException("bands.watchLeave", watchLeave, "at least watchEnter (" + watchEnter + ")");
      }
      if (minDwell == null || minDwell.isNegative()) {
        throw new InvalidFieldException("bands.minDwell", minDwell, "zero or more");
      }
    }

    /**
     * CRITICAL within 6 h of projected loss (left past 7 h), WATCH within 12 h (left past 14 h),
     * 30 minutes of calm before a level is lowered: an operator learns of a loss half a day ahead,
     * and has six hours of CRITICAL to add what the bottleneck needs.
     */
    public static Bands standard() {
      return new Bands(Duration.ofHours(6), Duration.ofHours(7), Duration.ofHours(12), Duration.ofHours(14), Duration.ofMinutes(30));
    }

    /** The level a projection enters, without hysteresis. */
    public RiskLevel entered(Optional<Duration> timeToLoss, boolean losing) {
      if (losing) return RiskLevel.LOSS;
      if (timeToLoss.isEmpty()) return RiskLevel.OK;
      if (timeToLoss.get().compareTo(criticalEnter) < 0) return RiskLevel.CRITICAL;
      if (timeToLoss.get().compareTo(watchEnter) < 0) return RiskLevel.WATCH;
      return RiskLevel.OK;
    }

    /** Whether a projection keeps {@code level} held (it is still inside the level's leave threshold). */
    boolean keeps(RiskLevel level, Optional<Duration> timeToLoss, boolean losing) {
      return switch (level) {
        case OK -> true;
        // while records expire the oldest age hovers just under the retention, and the next loss is projected minutes away
        case LOSS -> losing || timeToLoss.map(t -> t.compareTo(criticalEnter) < 0).orElse(false);
        case CRITICAL -> losing || timeToLoss.map(t -> t.compareTo(criticalLeave) <= 0).orElse(false);
        case WATCH -> losing || timeToLoss.map(t -> t.compareTo(watchLeave) <= 0).orElse(false);
      };
    }

    private static void positive(String field, Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new InvalidFieldException(field, d, "a positive duration");
      }
    }
  }

  public RiskHold(Bands bands) {
    if (bands == null) {
      throw new InvalidFieldException("hold.bands", null, "required");
    }
    this.bands = bands;
  }

  public Bands bands() {
    return bands;
  }

  public RiskLevel level() {
    return held;
  }

  /** How many times the held level has changed. */
  public long changes() {
    return changes;
  }

  /**
   * Takes one projection and returns the held level.
   *
   * @param timeToLoss projected time to loss, empty when none is projected
   * @param losing whether records are being lost now (the oldest age has reached the retention)
   */
  public RiskLevel update(Instant at, Optional<Duration> timeToLoss, boolean losing) {
    RiskLevel entered = bands.entered(timeToLoss, losing);
    if (entered.compareTo(held) > 0) {
      move(entered);
      return held;
    }
    if (bands.keeps(held, timeToLoss, losing)) {
      calmSince = null;
      return held;
    }
    RiskLevel below = below(timeToLoss, losing);
    if (calmSince == null) {
      calmSince = at;
      calmPeak = below;
    } else if (below.compareTo(calmPeak) > 0) {
      calmPeak = below;
    }
    if (!Duration.between(calmSince, at).minus(bands.minDwell()).isNegative()) {
      move(calmPeak);
    }
    return held;
  }

  /** The highest level under the held one that this projection keeps (a lower level's band is wider). */
  private RiskLevel below(Optional<Duration> timeToLoss, boolean losing) {
    for (int i = held.ordinal() - 1; i > 0; i--) {
      RiskLevel l = RiskLevel.values()[i];
      if (bands.keeps(l, timeToLoss, losing)) return l;
    }
    return RiskLevel.OK;
  }

  private void move(RiskLevel to) {
    if (to != held) {
      changes++;
    }
    held = to;
    calmSince = null;
  }
}
