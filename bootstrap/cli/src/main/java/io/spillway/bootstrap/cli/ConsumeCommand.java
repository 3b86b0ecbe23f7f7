package io.spillway.bootstrap.cli;

import io.spillway.adapters.aws.kcl.KclFailover;
import io.spillway.application.service.IngestService;
import io.spillway.bootstrap.local.AwsPipeline;
import io.spillway.bootstrap.aws.Patience;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A long-running consumer process: KCL workers persisting the stream into the table until the
 * process is told to stop (SIGTERM: graceful, checkpoints what is durable), then one JSON line of
 * what it stored.
 */
@Command(name = "consume", mixinStandardHelpOptions = true, description = "Run KCL consumer workers until stopped (local or aws backend).")
public final class ConsumeCommand implements Callable<Integer> {
  /** Where the stream and the table are. */
  enum Backend {
    local,
    aws
  }

  @Spec CommandSpec spec;

  @Option(names = "--backend", defaultValue = "${env:SPILLWAY_BACKEND:-local}", description = "local | aws (env SPILLWAY_BACKEND; default local)")
  Backend backend;

  @Option(names = "--worker-id", description = "KCL worker id; keep it across restarts of one consumer (default: host and slot)")
  String workerId;

  @Option(names = "--workers", defaultValue = "1", description = "KCL workers in this process (default ${DEFAULT-VALUE})")
  int workers;

  @Option(names = "--shards", defaultValue = "4", description = "shards if the stream has to be created, local backend (default ${DEFAULT-VALUE})")
  int shards;

  @Option(names = "--failover-seconds", description = "how soon a stopped consumer's shards move to the others: KCL's lease "
      + "expiry, from which its other failover timers follow (default 10, KCL's own, on aws; 2 on local)")
  Integer failoverSeconds;

  @Option(names = "--wcu", defaultValue = "20000", description = "write units per second this process paces itself to (default ${DEFAULT-VALUE})")
  double wcu;

  @Mixin RetrievalOption retrieval;

  @Mixin AwsOptions aws;

  @Override
  public Integer call() throws Exception {
    Options.atLeast(spec, "--workers", workers, 1);
    Options.atLeast(spec, "--shards", shards, 1);
    Options.positive(spec, "--wcu", wcu);
    if (workerId != null) {
      Options.notBlank(spec, "--worker-id", workerId);
    }
    KclFailover failover = null;
    if (failoverSeconds != null) {
      Options.atLeast(spec, "--failover-seconds", failoverSeconds, 1);
      failover = new KclFailover(Duration.ofSeconds(failoverSeconds));
    }
    aws.validate(spec, backend.name(), retrieval.retrieval(), true);
    // a consumer service waits out a slow or unreachable stream or table for as long as it runs
    AwsPipeline pipeline = new AwsPipeline(aws.clients(backend.name()),
        new AwsPipeline.Settings(aws.stream, aws.table, shards, workers, wcu, workerId, failover, retrieval.retrieval()), Patience.UNTIL_STOPPED);
    AutoCloseable consumers = pipeline.startConsumers();
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    AtomicBoolean finished = new AtomicBoolean();
    Runnable finish = () -> {
      if (!finished.compareAndSet(false, true)) {
        return;
      }
      try {
        consumers.close();
      } catch (Exception e) {
        System.err.println("spillway consume: shutdown: " + e);
      }
      IngestService.Stats s = pipeline.ingest().stats();
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("workerId", workerId);
      out.put("chunksWritten", s.chunksWritten());
      out.put("duplicates", s.duplicates());
      out.put("deadLettered", s.deadLettered());
      out.put("writeUnits", s.writeUnits());
      System.out.println(Json.of(out).replace("\n", ""));
      System.out.flush();
      pipeline.close();
    };
    Thread hook = new Thread(() -> {
      finish.run();
      stopped.complete(null);
    }, "spillway-consume-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    System.err.println("spillway consume: " + pipeline.describe());
    CompletableFuture.anyOf(stopped, pipeline.consumerFailure()).join();
    if (pipeline.consumerFailure().isDone()) {
      // a failure no retry fixes: stop with the checkpoint where it is, and say which resource failed
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // a SIGTERM came at the same moment: the hook finishes instead
      }
      finish.run();
      throw pipeline.consumerFailure().join();
    }
    return 0;
  }
}
