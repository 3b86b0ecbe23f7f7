package io.spillway.bootstrap.cli;

import io.spillway.bootstrap.SpillwayConfig;
import io.spillway.bootstrap.SystemClock;
import io.spillway.bootstrap.pipeline.PipelineRun;
import io.spillway.bootstrap.pipeline.PipelineRun.JobSpec;
import io.spillway.bootstrap.wiring.InMemorySpillway;
import io.spillway.adapters.inmemory.StreamLimits;
import io.spillway.adapters.inmemory.TableCapacity;
import io.spillway.domain.job.JobClass;
import io.spillway.domain.job.JobId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs jobs end to end on the in-memory backend and prints what happened. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run N jobs end to end in memory (produce → stream → consume → store → read back and verify).")
public final class DemoCommand implements Callable<Integer> {
  @Option(names = "--jobs", defaultValue = "3", description = "jobs to run (default ${DEFAULT-VALUE})")
  int jobs;

  @Option(names = "--events-per-job", defaultValue = "20000", description = "events each job produces (default ${DEFAULT-VALUE})")
  long eventsPerJob;

  @Option(names = "--buckets", defaultValue = "4", description = "partition-key buckets per job (default ${DEFAULT-VALUE})")
  int buckets;

  @Option(names = "--shards", defaultValue = "4", description = "stream shards, Kinesis limits per shard (default ${DEFAULT-VALUE})")
  int shards;

  @Option(names = "--wcu", defaultValue = "10000", description = "provisioned write units of the table (default ${DEFAULT-VALUE})")
  double wcu;

  @Option(names = "--seed", defaultValue = "42", description = "event generator seed (default ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--json", description = "print one JSON object")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Options.atLeast("--jobs", jobs, 1);
    Options.atLeast("--events-per-job", eventsPerJob, 1);
    Options.atLeast("--shards", shards, 1);
    SpillwayConfig config = SpillwayConfig.defaults()
        .withStream(StreamLimits.kinesis(shards))
        .withTable(TableCapacity.Settings.provisioned(wcu))
        .withIngest(SpillwayConfig.defaults().ingest().withWriteUnitsPerSecond(wcu))
        .withSequentialJobIds(true);
    InMemorySpillway spillway = InMemorySpillway.create(config, new SystemClock());
    List<JobSpec> specs = new ArrayList<>();
    Instant start = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 0; i < jobs; i++) {
      JobId id = new JobId(String.format("demo-%04d", i + 1));
      specs.add(new JobSpec(id, i % 3 == 2 ? JobClass.COMPLEX : JobClass.STANDARD, buckets,
          PipelineRun.generated(id, seed + i, start, eventsPerJob, 1_000)));
    }
    PipelineRun.Report r;
    try {
      r = PipelineRun.run(spillway, specs, 2, Duration.ofMinutes(10));
    } finally {
      spillway.datasets().close();
    }
    return Summary.print(r, json,
        "Spillway demo (in-memory backend: " + shards + " shards at Kinesis limits, " + (long) wcu + " provisioned WCU)");
  }
}
