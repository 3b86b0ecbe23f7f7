package io.spillway.domain.job;

/** How heavy a job is expected to be; planning and simulation weigh the classes differently. */
public enum JobClass {
  STANDARD,
  COMPLEX
}
