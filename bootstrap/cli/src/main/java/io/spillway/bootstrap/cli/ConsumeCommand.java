package io.spillway.bootstrap.cli;

import io.spillway.adapters.aws.kcl.KclFailover;
import io.spillway.application.service.IngestService;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.spillway.bootstrap.Spillway;
import io.spillway.bootstrap.SpillwayConfig;
import io.spillway.bootstrap.SpillwayConsumer;
import io.spillway.bootstrap.local.AwsPipeline;
import io.micrometer.cloudwatch2.CloudWatchMeterRegistry;
import io.spillway.bootstrap.metrics.CloudWatchMetrics;
import io.spillway.bootstrap.metrics.MetricsServer;
import io.spillway.bootstrap.metrics.SpillwayMetrics;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
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

  /** The write budget when neither --wcu nor --config sets one. */
  static final double DEFAULT_WCU = 20_000;

  @Option(names = "--wcu", description = "write units per second this process paces itself to (default: --config's "
      + "spillway.ingest.writeUnitsPerSecond, else 20000)")
  Double wcu;

  @Option(names = "--metrics-port", description = "serve Prometheus text on /metrics and health on /health at this port "
      + "(0: a free one, printed on stderr); none by default")
  Integer metricsPort;

  @Option(names = "--metrics-address", defaultValue = "127.0.0.1", description = "where the metrics endpoint listens (default ${DEFAULT-VALUE}: "
      + "loopback only; 0.0.0.0 to let a scraper on another host in)")
  String metricsAddress;

  @Option(names = "--cloudwatch-namespace", description = "also send the metrics to Amazon CloudWatch under this namespace, "
      + "once a minute (aws backend)")
  String cloudWatchNamespace;

  @Option(names = "--config", description = "a properties file with the pipeline's settings (see the README); the options here override it")
  Path config;

  @Mixin RetrievalOption retrieval;

  @Mixin AwsOptions aws;

  @Override
  public Integer call() throws Exception {
    Options.atLeast(spec, "--workers", workers, 1);
    Options.atMost(spec, "--workers", workers, 64);
    Options.atLeast(spec, "--shards", shards, 1);
    if (wcu != null) {
      Options.positive(spec, "--wcu", wcu);
    }
    if (workerId != null) {
      Options.notBlank(spec, "--worker-id", workerId);
    }
    KclFailover failover = null;
    if (failoverSeconds != null) {
      Options.atLeast(spec, "--failover-seconds", failoverSeconds, 1);
      failover = new KclFailover(Duration.ofSeconds(failoverSeconds));
    }
    if (metricsPort != null) {
      Options.atLeast(spec, "--metrics-port", metricsPort, 0);
      Options.atMost(spec, "--metrics-port", metricsPort, 65_535);
    }
    InetAddress metricsHost = Options.address(spec, "--metrics-address", metricsAddress);
    if (cloudWatchNamespace != null) {
      Options.notBlank(spec, "--cloudwatch-namespace", cloudWatchNamespace);
      if (backend != Backend.aws) {
        throw Options.refuse(spec, "--cloudwatch-namespace", cloudWatchNamespace, "only with --backend aws (the stand-ins have no CloudWatch)");
      }
    }
    SpillwayConfig base = config == null ? SpillwayConfig.defaults() : Options.properties(spec, "--config", config).config();
    double budget = wcu != null ? wcu : config != null ? base.ingest().writeUnitsPerSecond() : DEFAULT_WCU;
    aws.validate(spec, backend.name(), retrieval.retrieval(), true);
    // a consumer service waits out a slow or unreachable stream or table for as long as it runs
    AwsPipeline pipeline = new AwsPipeline(aws.clients(backend.name()),
        new AwsPipeline.Settings(aws.stream, aws.table, shards, workers, budget, workerId, failover, retrieval.retrieval()), Patience.UNTIL_STOPPED,
        base);
    Spillway spillway = pipeline.spillway();
    SpillwayConsumer consumer = spillway.consumer().start();
    MetricsServer metrics = null;
    if (metricsPort != null) {
      PrometheusMeterRegistry registry = MetricsServer.prometheusRegistry();
      SpillwayMetrics meters = spillway.metrics(Tags.of("stream", aws.stream));
      meters.bindTo(registry);
      metrics = MetricsServer.start(new InetSocketAddress(metricsHost, metricsPort), registry, meters, consumer::health);
      System.err.println("spillway consume: metrics on http://" + metrics.address().getHostString() + ":" + metrics.address().getPort() + "/metrics");
    }
    CloudWatchMeterRegistry cloudWatch = null;
    if (cloudWatchNamespace != null) {
      cloudWatch = CloudWatchMetrics.registry(pipeline.clients().cloudWatch(), cloudWatchNamespace, Duration.ofMinutes(1));
      spillway.metrics(Tags.of("stream", aws.stream)).bindTo(cloudWatch);
    }
    CloudWatchMeterRegistry cloudWatchRegistry = cloudWatch;
    MetricsServer server = metrics;
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    AtomicBoolean finished = new AtomicBoolean();
    Runnable finish = () -> {
      if (!finished.compareAndSet(false, true)) {
        return;
      }
      try {
        consumer.close();
      } catch (RuntimeException e) {
        System.err.println("spillway consume: shutdown: " + e);
      }
      if (server != null) {
        server.close();
      }
      if (cloudWatchRegistry != null) {
        cloudWatchRegistry.close();
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
    CompletableFuture.anyOf(stopped, consumer.failure()).join();
    if (consumer.failure().isDone()) {
      // a failure no retry fixes: stop with the checkpoint where it is, and say which resource failed
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // a SIGTERM came at the same moment: the hook finishes instead
      }
      finish.run();
      throw consumer.failure().join();
    }
    return 0;
  }
}
