package io.spillway.bootstrap.cli;

import io.spillway.bootstrap.SpillwayConfig;
import io.spillway.bootstrap.SystemClock;
import io.spillway.bootstrap.pipeline.InMemoryPipeline;
import io.spillway.bootstrap.pipeline.PipelineRun;
import io.spillway.bootstrap.pipeline.PipelineRun.JobSpec;
import io.spillway.bootstrap.wiring.InMemorySpillway;
import io.spillway.adapters.inmemory.StreamLimits;
import io.spillway.adapters.inmemory.TableCapacity;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs jobs end to end on the in-memory backend and prints what happened. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run N jobs end to end in memory (produce → stream → consume → store → read back and verify).")
public final class DemoCommand implements Callable<Integer> {
  /** The most shards the in-memory stream models. */
  static final int MAX_SHARDS = 10_000;

  @Spec CommandSpec spec;

  @Option(names = "--shards", defaultValue = "4", description = "stream shards, Kinesis limits per shard, 1..10000 (default ${DEFAULT-VALUE})")
  int shards;

  @Option(names = "--wcu", defaultValue = "10000", description = "provisioned write units of the table (default ${DEFAULT-VALUE})")
  double wcu;

  @Option(names = "--json", description = "print one JSON object")
  boolean json;

  @picocli.CommandLine.Mixin Workload workload;

  @Override
  public Integer call() throws Exception {
    Options.range(spec, "--shards", shards, 1, MAX_SHARDS);
    Options.positive(spec, "--wcu", wcu);
    workload.validate(spec, true);
    SpillwayConfig config = SpillwayConfig.defaults()
        .withStream(StreamLimits.kinesis(shards))
        .withTable(TableCapacity.Settings.provisioned(wcu))
        .withIngest(SpillwayConfig.defaults().ingest().withWriteUnitsPerSecond(wcu))
        .withSequentialJobIds(true);
    InMemoryPipeline pipeline = new InMemoryPipeline(InMemorySpillway.create(config, new SystemClock()));
    List<JobSpec> specs = workload.specs("demo");
    PipelineRun.Report r;
    try (RunProgress progress = RunProgress.start("demo", pipeline, workload.events(), spec.commandLine().getErr())) {
      r = PipelineRun.run(pipeline, specs, 2, Duration.ofMinutes(10));
    } finally {
      pipeline.datasets().close();
    }
    return Summary.print(r, json,
        "Spillway demo (in-memory backend: " + shards + " shards at Kinesis limits, " + (long) wcu + " provisioned WCU)");
  }
}
