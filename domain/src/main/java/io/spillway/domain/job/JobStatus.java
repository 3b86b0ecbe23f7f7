package io.spillway.domain.job;

import java.util.EnumSet;
import java.util.Set;

/** Where a job stands: SUBMITTED → PRODUCING → SEALED → AVAILABLE, or FAILED / INCOMPLETE. */
public enum JobStatus {
  SUBMITTED,
  PRODUCING,
  SEALED,
  AVAILABLE,
  /** Given up on: by its producer before the seal, or by an operator before it became AVAILABLE; it will not be served. */
  FAILED,
  /** Data was lost (for example it expired from the stream before it was persisted). */
  INCOMPLETE;

  /** The states this one may move to. */
  public Set<JobStatus> next() {
    return switch (this) {
      case SUBMITTED -> EnumSet.of(PRODUCING, SEALED, FAILED);
      case PRODUCING -> EnumSet.of(SEALED, FAILED, INCOMPLETE);
      // an operator may fail a sealed job whose last chunks will never come (its producer wrote a wrong manifest, say)
      case SEALED -> EnumSet.of(AVAILABLE, INCOMPLETE, FAILED);
      case AVAILABLE, FAILED, INCOMPLETE -> EnumSet.noneOf(JobStatus.class);
    };
  }

  public boolean canMoveTo(JobStatus target) {
    return next().contains(target);
  }

  public boolean isTerminal() {
    return next().isEmpty();
  }
}
