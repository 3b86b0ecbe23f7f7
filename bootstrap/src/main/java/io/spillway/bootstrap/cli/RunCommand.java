package io.spillway.bootstrap.cli;

import io.spillway.adapters.inmemory.StreamLimits;
import io.spillway.adapters.inmemory.TableCapacity;
import io.spillway.bootstrap.SpillwayConfig;
import io.spillway.bootstrap.SystemClock;
import io.spillway.bootstrap.local.AwsPipeline;
import io.spillway.bootstrap.pipeline.InMemoryPipeline;
import io.spillway.bootstrap.pipeline.Pipeline;
import io.spillway.bootstrap.pipeline.PipelineRun;
import io.spillway.bootstrap.pipeline.PipelineRun.JobSpec;
import io.spillway.bootstrap.wiring.InMemorySpillway;
import io.spillway.domain.job.JobClass;
import io.spillway.domain.job.JobId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs jobs through the whole pipeline on a chosen backend and prints the same summary as the demo. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run N jobs end to end (producer → stream → consumers → table → verified read-back) on a backend.")
public final class RunCommand implements Callable<Integer> {
  /** Where the pipeline runs. */
  enum Backend {
    memory,
    local,
    aws
  }

  @Option(names = "--backend", defaultValue = "${env:SPILLWAY_BACKEND:-memory}",
      description = "memory | local | aws (env SPILLWAY_BACKEND; default memory; local needs `spillway local up`, aws needs `spillway setup --backend aws`)")
  Backend backend;

  @Option(names = "--jobs", defaultValue = "3", description = "jobs to run (default ${DEFAULT-VALUE})")
  int jobs;

  @Option(names = "--events-per-job", defaultValue = "20000", description = "events each job produces (default ${DEFAULT-VALUE})")
  long eventsPerJob;

  @Option(names = "--buckets", defaultValue = "4", description = "partition-key buckets per job (default ${DEFAULT-VALUE})")
  int buckets;

  @Option(names = "--shards", defaultValue = "4", description = "stream shards (default ${DEFAULT-VALUE})")
  int shards;

  @Option(names = "--consumers", defaultValue = "1", description = "KCL workers sharing the shards, local backend (default ${DEFAULT-VALUE})")
  int consumers;

  @Option(names = "--seed", defaultValue = "42", description = "event generator seed (default ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--json", description = "print one JSON object")
  boolean json;

  @Mixin AwsOptions aws;

  @Override
  public Integer call() throws Exception {
    Options.atLeast("--jobs", jobs, 1);
    Options.atLeast("--events-per-job", eventsPerJob, 1);
    Options.atLeast("--shards", shards, 1);
    Options.atLeast("--consumers", consumers, 1);
    List<JobSpec> specs = new ArrayList<>();
    String runId = Long.toString(System.currentTimeMillis(), 36);
    Instant start = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 0; i < jobs; i++) {
      JobId id = new JobId(String.format("run-%s-%04d", runId, i + 1));
      specs.add(new JobSpec(id, i % 3 == 2 ? JobClass.COMPLEX : JobClass.STANDARD, buckets,
          PipelineRun.generated(id, seed + i, start, eventsPerJob, 1_000)));
    }
    if (backend == Backend.memory) {
      SpillwayConfig config = SpillwayConfig.defaults().withStream(StreamLimits.kinesis(shards));
      Pipeline pipeline = new InMemoryPipeline(InMemorySpillway.create(config, new SystemClock()));
      try {
        return Summary.print(PipelineRun.run(pipeline, specs, 2, Duration.ofMinutes(10)), json, "Spillway run: " + pipeline.describe());
      } finally {
        pipeline.datasets().close();
      }
    }
    try (AwsPipeline pipeline = new AwsPipeline(aws.clients(backend.name()),
        new AwsPipeline.Settings(aws.stream, aws.table, shards, consumers, 20_000))) {
      return Summary.print(PipelineRun.run(pipeline, specs, 2, Duration.ofMinutes(10)), json, "Spillway run: " + pipeline.describe());
    }
  }
}
