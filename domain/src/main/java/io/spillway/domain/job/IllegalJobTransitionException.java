package io.spillway.domain.job;

/** A lifecycle move the job's state machine forbids, such as AVAILABLE → PRODUCING. */
public final class IllegalJobTransitionException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public IllegalJobTransitionException(JobId job, JobStatus from, JobStatus to) {
    super("job " + job + ": cannot move from " + from + " to " + to + " (allowed from " + from + ": " + from.next() + ")");
  }
}
