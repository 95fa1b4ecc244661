package io.flexrig.metricshttp;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Serves {@code /metrics} (Prometheus text format, or OpenMetrics when asked) from one collector,
 * on the JDK's built-in HTTP server: no second Netty or Jetty. One daemon thread and a short queue:
 * a scrape is small, and a flood of requests is refused rather than piled up.
 */
public final class MetricsEndpoint implements AutoCloseable {
  private final HTTPServer server;
  private final ExecutorService executor;

  private MetricsEndpoint(HTTPServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Starts serving {@code collector} at {@code http://bind:port/metrics}.
   *
   * @throws UncheckedIOException when the address cannot be bound
   */
  public static MetricsEndpoint start(MetricsSettings settings, MultiCollector collector) {
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register(collector);
    ExecutorService executor =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(8),
            r -> {
              Thread t = new Thread(r, "metrics-http");
              t.setDaemon(true);
              return t;
            });
    try {
      HTTPServer server =
          HTTPServer.builder()
              .hostname(settings.bindAddress())
              .port(settings.port())
              .registry(registry)
              .executorService(executor)
              .buildAndStart();
      return new MetricsEndpoint(server, executor);
    } catch (IOException e) {
      executor.shutdownNow();
      throw new UncheckedIOException(
          "cannot serve /metrics on " + settings.bindAddress() + ":" + settings.port(), e);
    }
  }

  /** The port it listens on (the chosen one when configured with 0). */
  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.close();
    executor.shutdownNow();
  }
}
