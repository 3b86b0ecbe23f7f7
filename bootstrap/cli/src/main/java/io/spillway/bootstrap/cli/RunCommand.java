package io.spillway.bootstrap.cli;

import io.spillway.adapters.inmemory.StreamLimits;
import io.spillway.bootstrap.SpillwayConfig;
import io.spillway.bootstrap.SystemClock;
import io.spillway.bootstrap.local.AwsPipeline;
import io.spillway.bootstrap.pipeline.InMemoryPipeline;
import io.spillway.bootstrap.pipeline.Pipeline;
import io.spillway.bootstrap.pipeline.PipelineRun;
import io.spillway.bootstrap.pipeline.PipelineRun.JobSpec;
import io.spillway.bootstrap.wiring.InMemorySpillway;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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

  @Spec CommandSpec spec;

  @Option(names = "--backend", defaultValue = "${env:SPILLWAY_BACKEND:-memory}",
      description = "memory | local | aws (env SPILLWAY_BACKEND; default memory; local needs `spillway local up`, aws needs `spillway setup --backend aws`)")
  Backend backend;

  @Option(names = "--shards", defaultValue = "4", description = "stream shards, 1..10000 on memory (default ${DEFAULT-VALUE})")
  int shards;

  @Option(names = "--consumers", defaultValue = "1", description = "KCL workers sharing the shards, local backend (default ${DEFAULT-VALUE})")
  int consumers;

  @Option(names = "--json", description = "print one JSON object")
  boolean json;

  @Option(names = "--spill-dir", description = "let the producer spill chunks the stream cannot take yet to this directory "
      + "(one per producer process; what a previous run left there is published first; docs/spill.md)")
  java.nio.file.Path spillDir;

  @Option(names = "--spill-max-bytes", description = "bound on what --spill-dir holds (default 1 GiB; at least 409600)")
  Long spillMaxBytes;

  @picocli.CommandLine.Mixin Workload workload;

  @Mixin RetrievalOption retrieval;

  @Mixin AwsOptions aws;

  @Override
  public Integer call() throws Exception {
    if (backend == Backend.memory) {
      Options.range(spec, "--shards", shards, 1, DemoCommand.MAX_SHARDS);
    } else {
      Options.atLeast(spec, "--shards", shards, 1);
    }
    Options.atLeast(spec, "--consumers", consumers, 1);
    if (spillMaxBytes != null && spillDir == null) {
      throw Options.refuse(spec, "--spill-max-bytes", spillMaxBytes, "given with --spill-dir");
    }
    if (spillMaxBytes != null) {
      Options.atLeast(spec, "--spill-max-bytes", spillMaxBytes, io.spillway.domain.chunk.StoredItemLayout.ITEM_LIMIT_BYTES);
    }
    if (spillDir != null && java.nio.file.Files.exists(spillDir) && !java.nio.file.Files.isDirectory(spillDir)) {
      throw Options.refuse(spec, "--spill-dir", spillDir, "a directory (this is a file)");
    }
    java.util.Optional<io.spillway.bootstrap.SpillSettings> spill = java.util.Optional.ofNullable(spillDir)
        .map(d -> new io.spillway.bootstrap.SpillSettings(d, spillMaxBytes != null ? spillMaxBytes : io.spillway.bootstrap.SpillSettings.DEFAULT_MAX_BYTES));
    workload.validate(spec, backend == Backend.memory);
    if (backend != Backend.memory) {
      aws.validate(spec, backend.name(), retrieval.retrieval(), true);
    }
    List<JobSpec> specs = workload.specs("run-" + Long.toString(System.currentTimeMillis(), 36));
    if (backend == Backend.memory) {
      SpillwayConfig config = SpillwayConfig.defaults().withStream(StreamLimits.kinesis(shards));
      if (spill.isPresent()) {
        config = config.withSpill(spill.get());
      }
      Pipeline pipeline = new InMemoryPipeline(InMemorySpillway.create(config, new SystemClock()));
      try {
        return run(pipeline, specs);
      } finally {
        pipeline.datasets().close();
      }
    }
    SpillwayConfig base = spill.isPresent() ? SpillwayConfig.defaults().withSpill(spill.get()) : SpillwayConfig.defaults();
    try (AwsPipeline pipeline = new AwsPipeline(aws.clients(backend.name()),
        new AwsPipeline.Settings(aws.stream, aws.table, shards, consumers, 20_000).withRetrieval(retrieval.retrieval()),
        io.spillway.bootstrap.aws.Patience.BRIEF, base)) {
      return run(pipeline, specs);
    }
  }

  private int run(Pipeline pipeline, List<JobSpec> specs) throws Exception {
    PipelineRun.Report report;
    try (RunProgress progress = RunProgress.start("run", pipeline, workload.events(), spec.commandLine().getErr())) {
      report = PipelineRun.run(pipeline, specs, 2, Duration.ofMinutes(10));
    }
    return Summary.print(report, json, "Spillway run: " + pipeline.describe());
  }
}
