package io.spillway.domain.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

class JobLifecycleProperties {
  static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  @Property(tries = 200)
  void everyPairOfStatesEitherMovesAsNextSaysOrIsRefused(@ForAll JobStatus from, @ForAll JobStatus to) {
    Job job = JobLifecycleTest.in(from);
    Instant later = T0.plusSeconds(42);
    if (JobLifecycleTest.LIFECYCLE.get(from).contains(to)) {
      assertThat(from.canMoveTo(to)).isTrue();
      Job moved = job.transitionTo(to, later);
      assertThat(moved.status()).isEqualTo(to);
      assertThat(moved.updatedAt()).isEqualTo(later);
      assertThat(moved.openedAt()).isEqualTo(job.openedAt());
    } else {
      assertThat(from.canMoveTo(to)).isFalse();
      assertThatThrownBy(() -> job.transitionTo(to, later))
          .isInstanceOf(IllegalJobTransitionException.class)
          .hasMessageContaining(from.name())
          .hasMessageContaining(to.name());
    }
  }

  /** Any walk through the lifecycle reaches a terminal state within three moves: no state is ever revisited. */
  @Property(tries = 300)
  void everyWalkEndsAndNeverComesBack(@ForAll @Size(max = 20) List<JobStatus> attempts) {
    Job job = Job.submitted(JobLifecycleTest.ID, "walk", JobClass.STANDARD, 1, T0);
    java.util.EnumSet<JobStatus> seen = java.util.EnumSet.of(job.status());
    int moves = 0;
    for (JobStatus target : attempts) {
      try {
        job = job.transitionTo(target, T0.plusSeconds(++moves));
        assertThat(seen.add(job.status())).as("revisited " + job.status()).isTrue();
      } catch (IllegalJobTransitionException refused) {
        // the job stays where it was
      }
    }
    assertThat(seen.size()).isLessThanOrEqualTo(4);
    if (job.status().isTerminal()) {
      for (JobStatus any : JobStatus.values()) {
        assertThat(job.status().canMoveTo(any)).isFalse();
      }
    }
  }
}
