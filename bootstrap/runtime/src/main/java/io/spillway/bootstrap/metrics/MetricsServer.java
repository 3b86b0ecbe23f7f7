package io.spillway.bootstrap.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.spillway.bootstrap.SpillwayConsumer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * A consumer process's operator endpoint: {@code GET /metrics} answers Prometheus text (Micrometer's
 * Prometheus registry), {@code GET /health/live} and {@code GET /health/ready} answer 200 or 503
 * (live: workers running; ready: leases held), and {@code GET /health} answers both as JSON, with
 * 200 when live. Listens on loopback unless told otherwise: the metrics are not for the internet.
 */
public final class MetricsServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;

  private MetricsServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Starts serving.
   *
   * @param address where to listen (loopback unless an operator opens it up); port 0 picks a free one
   * @param registry the Prometheus registry the consumer's meters are bound to
   * @param metrics refreshed before each scrape (per-shard meters)
   * @param health the consumer's health now
   */
  public static MetricsServer start(InetSocketAddress address, PrometheusMeterRegistry registry, SpillwayMetrics metrics,
      Supplier<SpillwayConsumer.Health> health) throws IOException {
    HttpServer server = HttpServer.create(address, 16);
    ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "spillway-metrics-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/metrics", exchange -> {
      metrics.refresh();
      respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
    });
    server.createContext("/health", exchange -> {
      SpillwayConsumer.Health h = health.get();
      String path = exchange.getRequestURI().getPath();
      if (path.equals("/health/live")) {
        respond(exchange, h.live() ? 200 : 503, "text/plain", h.live() ? "live\n" : "not live: " + h.detail() + "\n");
      } else if (path.equals("/health/ready")) {
        respond(exchange, h.ready() ? 200 : 503, "text/plain", h.ready() ? "ready\n" : "not ready: " + h.detail() + "\n");
      } else if (path.equals("/health")) {
        String json = String.format("{\"live\":%s,\"ready\":%s,\"workers\":%d,\"leases\":%d,\"detail\":\"%s\"}%n", h.live(), h.ready(),
            h.workersRunning(), h.leasesHeld(), h.detail().replace("\\", "\\\\").replace("\"", "\\\""));
        respond(exchange, h.live() ? 200 : 503, "application/json", json);
      } else {
        respond(exchange, 404, "text/plain", "not found\n");
      }
    });
    server.start();
    return new MetricsServer(server, executor);
  }

  /** A new Prometheus registry. */
  public static PrometheusMeterRegistry prometheusRegistry() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  /** Loopback, at this port. */
  public static InetSocketAddress loopback(int port) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }

  /** Where it listens (the actual port when started on 0). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
