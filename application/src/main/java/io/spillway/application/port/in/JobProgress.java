package io.spillway.application.port.in;

import io.spillway.domain.Checks;
import io.spillway.domain.InvalidFieldException;
import io.spillway.domain.job.Job;
import java.util.OptionalLong;

/**
 * A job with how many of its chunks are stored.
 *
 * @param job the job as it stands
 * @param expected the chunks its manifest promises; empty until the producer stores the manifest,
 *     just before it seals
 * @param stored the chunks stored so far, as counted by every consumer process together; for an
 *     INCOMPLETE job, what the table held when it was marked (the count is final by then)
 */
public record JobProgress(Job job, OptionalLong expected, long stored) {
  public JobProgress {
    Checks.required("jobProgress.job", job);
    Checks.required("jobProgress.expected", expected);
    if (stored < 0) {
      throw new InvalidFieldException("jobProgress.stored", stored, ">= 0");
    }
  }

  /**
   * The chunks not stored: not yet for a SEALED job, never for an INCOMPLETE one (they left the
   * stream before they were stored). Empty when the expected count is unknown; never negative.
   */
  public OptionalLong missing() {
    return expected.isPresent() ? OptionalLong.of(Math.max(0, expected.getAsLong() - stored)) : OptionalLong.empty();
  }
}
