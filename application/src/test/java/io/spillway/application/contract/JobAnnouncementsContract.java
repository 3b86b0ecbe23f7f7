package io.spillway.application.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.application.port.out.JobAnnouncement;
import io.spillway.application.port.out.JobAnnouncements;
import io.spillway.application.port.out.JobAvailable;
import io.spillway.application.port.out.JobFailed;
import io.spillway.application.port.out.JobIncomplete;
import io.spillway.application.port.out.PermanentStoreException;
import io.spillway.application.port.out.RetryableStoreException;
import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobClass;
import io.spillway.domain.job.JobId;
import io.spillway.domain.job.JobStatus;
import io.spillway.domain.manifest.Manifest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link JobAnnouncements} adapter must do: deliver each kind of announcement with the
 * job, its counts and its checksum intact (as the receiver sees them, {@link Received}); deliver
 * an announcement made twice twice, equal (receivers deduplicate, adapters do not); and sort a
 * refusal into retryable (throttled) or permanent (denied, naming the destination).
 */
public abstract class JobAnnouncementsContract {

  /** How the destination is made to refuse the next attempt. */
  public enum Refusal {
    THROTTLED,
    DENIED
  }

  /**
   * An announcement as its receiver sees it: numbers the dataset does not have (a FAILED job has no
   * manifest) are null, the checksum is 16 hex digits (unsigned).
   */
  public record Received(String kind, String jobId, String name, String jobClass, String status, Long chunkCount, Long eventCount,
      long storedChunks, Long missingChunks, String datasetChecksum, Instant at, String reason) {

    /** What a faithful adapter delivers for {@code a}. */
    public static Received of(JobAnnouncement a) {
      if (a instanceof JobAvailable v) {
        return new Received("JobAvailable", v.jobId().value(), v.name(), v.jobClass().name(), "AVAILABLE", v.chunkCount(),
            v.eventCount(), v.chunkCount(), 0L, hex(v.datasetChecksum()), v.at(), null);
      }
      if (a instanceof JobIncomplete i) {
        return new Received("JobIncomplete", i.jobId().value(), i.name(), i.jobClass().name(), "INCOMPLETE", i.chunkCount(),
            i.eventCount(), i.storedChunks(), i.missingChunks(), hex(i.datasetChecksum()), i.at(), null);
      }
      JobFailed f = (JobFailed) a;
      return new Received("JobFailed", f.jobId().value(), f.name(), f.jobClass().name(), "FAILED", null, null,
          f.storedChunks(), null, null, f.at(), f.reason().orElse(null));
    }

    public static String hex(long checksum) {
      return String.format("%016x", checksum);
    }
  }

  /** A fresh destination with nothing received. */
  protected abstract JobAnnouncements newAnnouncements();

  /** What the destination of the latest {@link #newAnnouncements()} accepted, oldest first. */
  protected abstract List<Received> received();

  /** Makes that destination refuse the next attempt. */
  protected abstract void refuseNext(Refusal refusal);

  /** The destination a permanent failure names. */
  protected abstract String destination();

  static final Instant T0 = Instant.parse("2026-11-28T06:00:00.125Z");

  private JobAnnouncements announcements;

  @BeforeEach
  void freshDestination() {
    announcements = newAnnouncements();
  }

  static Job job(String id, String name, JobStatus... path) {
    Job job = Job.submitted(JobId.of(id), name, JobClass.COMPLEX, 4, T0);
    Instant at = T0;
    for (JobStatus s : path) {
      at = at.plusSeconds(90);
      job = job.transitionTo(s, at);
    }
    return job;
  }

  static JobAvailable available() {
    Job job = job("nightly-7", "nightly scoring", JobStatus.PRODUCING, JobStatus.SEALED, JobStatus.AVAILABLE);
    return JobAvailable.of(job, new Manifest(job.id(), 4, 120, 1_000_000, 0x00C0FFEE_12345678L, T0.plusSeconds(180)));
  }

  static JobIncomplete incomplete() {
    Job job = job("weekly-2", "weekly rollup", JobStatus.PRODUCING, JobStatus.SEALED, JobStatus.INCOMPLETE);
    return JobIncomplete.of(job, new Manifest(job.id(), 4, 50, 70_000, 42L, T0.plusSeconds(180)), 47);
  }

  static JobFailed failed(Optional<String> reason) {
    return JobFailed.of(job("adhoc-3", "ad hoc export", JobStatus.PRODUCING, JobStatus.FAILED), 3, reason);
  }

  @Test
  void eachKindArrivesWithTheJobItsCountsAndChecksum() {
    List<JobAnnouncement> sent = List.of(available(), incomplete(), failed(Optional.of("the producer ran out of disk")));

    sent.forEach(announcements::announce);

    assertThat(received()).containsExactlyElementsOf(sent.stream().map(Received::of).toList());
    assertThat(received().get(1).missingChunks()).isEqualTo(3);
  }

  @Test
  void aFailedJobArrivesWithoutCountsOrAReasonWhenNoneWasGiven() {
    JobFailed failed = failed(Optional.empty());

    announcements.announce(failed);

    assertThat(received()).containsExactly(Received.of(failed));
    assertThat(received().get(0).chunkCount()).isNull();
    assertThat(received().get(0).reason()).isNull();
  }

  @Test
  void namesAndReasonsArriveAsWritten() {
    Job job = job("quoted-1", "the \"big\" one \\ déjà vu — 数据 😀", JobStatus.FAILED);
    JobFailed failed = JobFailed.of(job, 0, Optional.of("an operator said \"stop\" at 03:00 / see ticket #12"));

    announcements.announce(failed);

    assertThat(received()).containsExactly(Received.of(failed));
  }

  @Test
  void aChecksumWithItsTopBitSetArrivesUnsigned() {
    Job job = job("signed-1", "negative checksum", JobStatus.SEALED, JobStatus.AVAILABLE);
    JobAvailable a = JobAvailable.of(job, new Manifest(job.id(), 1, 1, 1, 0xFEDC_BA98_7654_3210L, T0));

    announcements.announce(a);

    assertThat(received()).extracting(Received::datasetChecksum).containsExactly("fedcba9876543210");
  }

  @Test
  void theSameAnnouncementTwiceArrivesTwiceAndEqual() {
    announcements.announce(available());
    announcements.announce(available());

    assertThat(received()).hasSize(2);
    assertThat(received().get(0)).isEqualTo(received().get(1));
  }

  @Test
  void aThrottledAttemptIsRetryableAndTheNextOneArrives() {
    refuseNext(Refusal.THROTTLED);

    assertThatThrownBy(() -> announcements.announce(available())).isInstanceOf(RetryableStoreException.class);
    assertThat(received()).isEmpty();

    announcements.announce(available());
    assertThat(received()).containsExactly(Received.of(available()));
  }

  @Test
  void aDeniedAttemptIsPermanentAndNamesTheDestination() {
    refuseNext(Refusal.DENIED);

    assertThatThrownBy(() -> announcements.announce(incomplete()))
        .isInstanceOfSatisfying(PermanentStoreException.class, e -> assertThat(e.resource()).contains(destination()))
        .hasMessageContaining(destination())
        .hasMessageContaining("cannot succeed on retry");
    assertThat(received()).isEmpty();
  }
}
