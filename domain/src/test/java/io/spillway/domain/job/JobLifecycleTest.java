package io.spillway.domain.job;

import static io.spillway.domain.job.JobStatus.AVAILABLE;
import static io.spillway.domain.job.JobStatus.FAILED;
import static io.spillway.domain.job.JobStatus.INCOMPLETE;
import static io.spillway.domain.job.JobStatus.PRODUCING;
import static io.spillway.domain.job.JobStatus.SEALED;
import static io.spillway.domain.job.JobStatus.SUBMITTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.spillway.domain.InvalidFieldException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A job moves SUBMITTED → PRODUCING → SEALED → AVAILABLE, or ends FAILED / INCOMPLETE, and nowhere else. */
class JobLifecycleTest {
  static final JobId ID = JobId.of("job-7");
  static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  /** The lifecycle of the brief, written out independently of JobStatus.next(). */
  static final Map<JobStatus, Set<JobStatus>> LIFECYCLE = Map.of(
      SUBMITTED, EnumSet.of(PRODUCING, SEALED, FAILED),
      PRODUCING, EnumSet.of(SEALED, FAILED, INCOMPLETE),
      SEALED, EnumSet.of(AVAILABLE, INCOMPLETE, FAILED),
      AVAILABLE, EnumSet.noneOf(JobStatus.class),
      FAILED, EnumSet.noneOf(JobStatus.class),
      INCOMPLETE, EnumSet.noneOf(JobStatus.class));

  static Job in(JobStatus status) {
    return new Job(ID, "daily rollup", JobClass.COMPLEX, 8, status, T0, T0);
  }

  @Test
  void theHappyPathEndsAvailableKeepingWhatTheJobIs() {
    Instant t1 = T0.plusSeconds(1);
    Instant t2 = T0.plusSeconds(60);
    Instant t3 = T0.plusSeconds(300);
    Job submitted = Job.submitted(ID, "daily rollup", JobClass.COMPLEX, 8, T0);

    Job available = submitted.transitionTo(PRODUCING, t1).transitionTo(SEALED, t2).transitionTo(AVAILABLE, t3);

    assertThat(submitted.status()).isEqualTo(SUBMITTED);
    assertThat(submitted.updatedAt()).isEqualTo(T0);
    assertThat(available.status()).isEqualTo(AVAILABLE);
    assertThat(available.openedAt()).isEqualTo(T0);
    assertThat(available.updatedAt()).isEqualTo(t3);
    assertThat(available).usingRecursiveComparison().ignoringFields("status", "updatedAt").isEqualTo(submitted);
    assertThat(available.status().isTerminal()).isTrue();
  }

  @ParameterizedTest(name = "{0} -> {1} is refused")
  @CsvSource({
      "AVAILABLE, PRODUCING",
      "SEALED, PRODUCING",
      "SEALED, SUBMITTED",
      "PRODUCING, SUBMITTED",
      "SUBMITTED, AVAILABLE",
      "PRODUCING, AVAILABLE",
      "FAILED, PRODUCING",
      "INCOMPLETE, AVAILABLE",
      "AVAILABLE, INCOMPLETE",
      "PRODUCING, PRODUCING",
      "SUBMITTED, INCOMPLETE"})
  void refusesAnIllegalMoveNamingBothStates(JobStatus from, JobStatus to) {
    IllegalJobTransitionException e = catchThrowableOfType(IllegalJobTransitionException.class, () -> in(from).transitionTo(to, T0.plusSeconds(5)));
    assertThat(e).isNotNull().isInstanceOf(IllegalStateException.class);
    assertThat(e.getMessage()).contains(ID.value()).contains("from " + from).contains("to " + to);
  }

  @Test
  void aSealedJobCanStillBeFoundIncompleteWhenDataExpired() {
    assertThat(in(SEALED).transitionTo(INCOMPLETE, T0).status()).isEqualTo(INCOMPLETE);
    assertThat(in(SUBMITTED).transitionTo(SEALED, T0).status()).isEqualTo(SEALED); // an empty job seals at once
  }

  @Test
  void theLifecycleIsTheOneOfTheBrief() {
    for (JobStatus s : JobStatus.values()) {
      assertThat(s.next()).as("next of " + s).isEqualTo(LIFECYCLE.get(s));
      assertThat(s.isTerminal()).isEqualTo(LIFECYCLE.get(s).isEmpty());
    }
  }

  @Test
  void nextCannotBeUsedToAlterTheLifecycle() {
    try {
      SUBMITTED.next().add(AVAILABLE);
    } catch (UnsupportedOperationException immutable) {
      // fine too
    }
    assertThat(SUBMITTED.canMoveTo(AVAILABLE)).isFalse();
  }

  @Test
  void validatesItsFields() {
    assertThat(catchThrowableOfType(InvalidFieldException.class,
        () -> new Job(ID, "", JobClass.STANDARD, 1, SUBMITTED, T0, T0)).field()).isEqualTo("job.name");
    assertThat(catchThrowableOfType(InvalidFieldException.class,
        () -> new Job(ID, "n".repeat(257), JobClass.STANDARD, 1, SUBMITTED, T0, T0)).limit()).contains("1..256");
    assertThat(catchThrowableOfType(InvalidFieldException.class,
        () -> new Job(ID, "n", JobClass.STANDARD, 0, SUBMITTED, T0, T0)).limit()).isEqualTo("1..1024");
    assertThat(catchThrowableOfType(InvalidFieldException.class,
        () -> new Job(ID, "n", JobClass.STANDARD, 1025, SUBMITTED, T0, T0)).field()).isEqualTo("job.buckets");
    assertThat(catchThrowableOfType(InvalidFieldException.class,
        () -> new Job(null, "n", JobClass.STANDARD, 1, SUBMITTED, T0, T0)).field()).isEqualTo("job.id");
    assertThat(catchThrowableOfType(InvalidFieldException.class,
        () -> new Job(ID, "n", null, 1, SUBMITTED, T0, T0)).field()).isEqualTo("job.jobClass");
    assertThat(catchThrowableOfType(InvalidFieldException.class,
        () -> new Job(ID, "n", JobClass.STANDARD, 1, null, T0, T0)).field()).isEqualTo("job.status");
    assertThat(catchThrowableOfType(InvalidFieldException.class,
        () -> Job.submitted(ID, "n", JobClass.STANDARD, 1, null)).field()).isEqualTo("job.openedAt");
    assertThatThrownBy(() -> in(SUBMITTED).transitionTo(PRODUCING, null)).isInstanceOf(InvalidFieldException.class);
    assertThat(Job.submitted(ID, "n", JobClass.STANDARD, 1024, T0.plus(Duration.ofDays(1))).buckets()).isEqualTo(1024);
  }
}
