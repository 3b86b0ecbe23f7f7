package io.spillway.application.service;

import io.spillway.domain.InvalidFieldException;

/**
 * The producer's per-process memory bound (docs/producer-memory.md).
 *
 * @param maxAssembledBytes bound on assembled-but-unpublished bytes of this process: the raw bytes
 *     waiting in every open job's assembler plus the chunk bytes the publisher holds in memory (at
 *     least two appends' room, {@code 2 * ChunkPublisher.RESERVE_PER_APPEND})
 * @param progressInterval how often, at most, an open partition's progress is recorded in its job's
 *     records (by the linger tick), so that job queries can tell a stalled partition
 */
public record IntakeSettings(long maxAssembledBytes, java.time.Duration progressInterval) {
  public IntakeSettings {
    long min = 2 * ChunkPublisher.RESERVE_PER_APPEND;
    if (maxAssembledBytes < min) {
      throw new InvalidFieldException("intake.maxAssembledBytes", maxAssembledBytes, "at least " + min + " (two appends' room)");
    }
    if (progressInterval == null || progressInterval.isNegative()) {
      throw new InvalidFieldException("intake.progressInterval", progressInterval, "a duration of 0 or more");
    }
  }

  public IntakeSettings(long maxAssembledBytes) {
    this(maxAssembledBytes, DEFAULT_PROGRESS_INTERVAL);
  }

  /** How often an open partition's progress is recorded at most (one small write each): 30 s. */
  public static final java.time.Duration DEFAULT_PROGRESS_INTERVAL = java.time.Duration.ofSeconds(30);

  /** 512 MiB: the publisher's 64 MiB default plus room for many open jobs' partial chunks. */
  public static IntakeSettings defaults() {
    return new IntakeSettings(512L * 1024 * 1024);
  }
}
