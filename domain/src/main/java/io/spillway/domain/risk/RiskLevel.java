package io.spillway.domain.risk;

/** How close a backlog is to losing records past the stream's retention. */
public enum RiskLevel {
  OK,
  WATCH,
  CRITICAL,
  /** The oldest record has reached the retention: records are being lost now. */
  LOSS
}
