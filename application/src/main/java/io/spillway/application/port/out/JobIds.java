package io.spillway.application.port.out;

import io.spillway.domain.job.JobId;

/** Hands out new job ids (random in production, sequential in simulations). */
@FunctionalInterface
public interface JobIds {
  JobId next();
}
