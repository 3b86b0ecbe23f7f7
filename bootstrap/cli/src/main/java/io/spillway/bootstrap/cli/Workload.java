package io.spillway.bootstrap.cli;

import io.spillway.bootstrap.pipeline.PipelineRun;
import io.spillway.bootstrap.pipeline.PipelineRun.JobSpec;
import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobClass;
import io.spillway.domain.job.JobId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** The jobs a pipeline command runs: how many, how large, over how many buckets, from which seed. */
final class Workload {
  @Option(names = "--jobs", defaultValue = "3", description = "jobs to run (default ${DEFAULT-VALUE})")
  int jobs;

  @Option(names = "--events-per-job", defaultValue = "20000", description = "events each job produces (default ${DEFAULT-VALUE})")
  long eventsPerJob;

  @Option(names = "--buckets", defaultValue = "4", description = "partition-key buckets per job, 1..1024 (default ${DEFAULT-VALUE})")
  int buckets;

  @Option(names = "--seed", defaultValue = "42", description = "event generator seed (default ${DEFAULT-VALUE})")
  long seed;

  /**
   * Refuses what the run could not do, before anything is built: counts below one, more buckets
   * than a job may have, and a workload that does not fit this JVM's heap — with {@code eventsKept},
   * the in-memory backend, which keeps every event's compressed bytes until it has read them back.
   */
  void validate(CommandSpec spec, boolean eventsKept) {
    Options.atLeast(spec, "--jobs", jobs, 1);
    Options.atLeast(spec, "--events-per-job", eventsPerJob, 1);
    Options.range(spec, "--buckets", buckets, 1, Job.MAX_BUCKETS);
    HeapBudget.require(spec, "--jobs " + jobs + " x --events-per-job " + eventsPerJob, events(),
        eventsKept ? HeapBudget.STORED_BYTES_PER_EVENT : 0, jobs,
        eventsKept ? HeapBudget.STORED_BYTES_PER_EVENT + " B per event kept until read back: the stream's copy of its compressed chunk and the table's"
            : "the events are kept by the backend, not on this heap");
  }

  /** The events the workload produces. */
  double events() {
    return (double) jobs * eventsPerJob;
  }

  /** Analytics-shaped jobs, every third one COMPLEX, with ids {@code <prefix>-0001}, …; {@link #validate} first. */
  List<JobSpec> specs(String prefix) {
    List<JobSpec> specs = new ArrayList<>();
    Instant start = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 0; i < jobs; i++) {
      JobId id = new JobId(String.format(java.util.Locale.ROOT, "%s-%04d", prefix, i + 1));
      specs.add(new JobSpec(id, i % 3 == 2 ? JobClass.COMPLEX : JobClass.STANDARD, buckets,
          PipelineRun.generated(id, seed + i, start, eventsPerJob, 1_000)));
    }
    return specs;
  }
}
