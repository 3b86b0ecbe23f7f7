package io.spillway.bootstrap.cli;

import io.spillway.bootstrap.pipeline.PipelineRun;
import io.spillway.bootstrap.pipeline.PipelineRun.JobSpec;
import io.spillway.domain.job.JobClass;
import io.spillway.domain.job.JobId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The jobs a pipeline command runs: how many, how large, over how many buckets, from which seed. */
final class Workload {
  @Option(names = "--jobs", defaultValue = "3", description = "jobs to run (default ${DEFAULT-VALUE})")
  int jobs;

  @Option(names = "--events-per-job", defaultValue = "20000", description = "events each job produces (default ${DEFAULT-VALUE})")
  long eventsPerJob;

  @Option(names = "--buckets", defaultValue = "4", description = "partition-key buckets per job (default ${DEFAULT-VALUE})")
  int buckets;

  @Option(names = "--seed", defaultValue = "42", description = "event generator seed (default ${DEFAULT-VALUE})")
  long seed;

  /** Analytics-shaped jobs, every third one COMPLEX, with ids {@code <prefix>-0001}, …. */
  List<JobSpec> specs(String prefix) {
    Options.atLeast("--jobs", jobs, 1);
    Options.atLeast("--events-per-job", eventsPerJob, 1);
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
