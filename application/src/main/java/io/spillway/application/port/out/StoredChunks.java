package io.spillway.application.port.out;

import io.spillway.domain.Checks;
import io.spillway.domain.InvalidFieldException;
import io.spillway.domain.job.Job;

/**
 * A job as it stands with the number of its chunks stored so far, as counted by every consumer
 * process together. Only first writes are counted, so {@code stored} never passes the chunks
 * actually in the table; it can fall short of them after a consumer died between a put and its count.
 */
public record StoredChunks(Job job, long stored) {
  public StoredChunks {
    Checks.required("storedChunks.job", job);
    if (stored < 0) {
      throw new InvalidFieldException("storedChunks.stored", stored, ">= 0");
    }
  }
}
