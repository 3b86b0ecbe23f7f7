package io.spillway.domain.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.spillway.domain.InvalidFieldException;
import io.spillway.domain.job.JobId;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ManifestTest {
  static final JobId JOB = JobId.of("job-m");
  static final Instant AT = Instant.parse("2025-01-01T00:00:00Z");

  @Test
  void anEmptyDatasetHasNoEvents() {
    assertThat(new Manifest(JOB, 4, 0, 0, 0L, AT).eventCount()).isZero();
    assertThat(catchThrowableOfType(InvalidFieldException.class, () -> new Manifest(JOB, 4, 0, -1, 0L, AT)).field())
        .isEqualTo("manifest.eventCount");
  }

  @Test
  void everyChunkHoldsAtLeastOneEvent() {
    InvalidFieldException e = catchThrowableOfType(InvalidFieldException.class, () -> new Manifest(JOB, 4, 10, 9, 0L, AT));
    assertThat(e.field()).isEqualTo("manifest.eventCount");
    assertThat(e.limit()).startsWith("10..");
    assertThat(new Manifest(JOB, 4, 10, 10, 0L, AT).chunkCount()).isEqualTo(10);
  }

  @Test
  void refusesImpossibleFields() {
    assertThat(catchThrowableOfType(InvalidFieldException.class, () -> new Manifest(JOB, 0, 0, 0, 0L, AT)).field()).isEqualTo("manifest.buckets");
    assertThat(catchThrowableOfType(InvalidFieldException.class, () -> new Manifest(JOB, 1025, 0, 0, 0L, AT)).field()).isEqualTo("manifest.buckets");
    assertThat(catchThrowableOfType(InvalidFieldException.class, () -> new Manifest(JOB, 1, -1, 0, 0L, AT)).field()).isEqualTo("manifest.chunkCount");
    assertThat(catchThrowableOfType(InvalidFieldException.class, () -> new Manifest(null, 1, 0, 0, 0L, AT)).field()).isEqualTo("manifest.jobId");
    assertThat(catchThrowableOfType(InvalidFieldException.class, () -> new Manifest(JOB, 1, 0, 0, 0L, null)).field()).isEqualTo("manifest.sealedAt");
  }
}
