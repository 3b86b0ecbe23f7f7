package io.spillway.application.service;

import io.spillway.domain.InvalidFieldException;

/**
 * The producer's per-process memory bound (docs/producer-memory.md).
 *
 * @param maxAssembledBytes bound on assembled-but-unpublished bytes of this process: the raw bytes
 *     waiting in every open job's assembler plus the chunk bytes the publisher holds in memory (at
 *     least two appends' room, {@code 2 * ChunkPublisher.RESERVE_PER_APPEND})
 */
public record IntakeSettings(long maxAssembledBytes) {
  public IntakeSettings {
    long min = 2 * ChunkPublisher.RESERVE_PER_APPEND;
    if (maxAssembledBytes < min) {
      throw new InvalidFieldException("intake.maxAssembledBytes", maxAssembledBytes, "at least " + min + " (two appends' room)");
    }
  }

  /** 512 MiB: the publisher's 64 MiB default plus room for many open jobs' partial chunks. */
  public static IntakeSettings defaults() {
    return new IntakeSettings(512L * 1024 * 1024);
  }
}
