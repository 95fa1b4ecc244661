package io.flexrig.sim;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in AI inference server, for supervision tests and demos: an HTTP server on loopback that
 * answers the way a model server (vLLM, TGI) does for the parts the agent uses.
 *
 * <ul>
 *   <li>{@code GET /health}: 200 with {@code {"status":"ok","accepting":true,"in_flight":N,
 *       "served":M}} while serving; 503 with {@code "status":"draining"} once draining.
 *   <li>{@code POST /v1/completions}: a trivial inference that takes {@code request_ms} (or the
 *       query's {@code ms}); 503 while draining. Requests in flight are counted.
 *   <li>{@code POST /drain}: stop accepting new requests; those in flight finish.
 * </ul>
 *
 * <p>On SIGTERM it drains (stops accepting, waits for the requests in flight up to the grace) and
 * exits, as model servers do on a graceful shutdown.
 *
 * <p>{@code java -cp ... io.flexrig.sim.StandInInferenceServer [port] [request-ms]
 * [shutdown-grace-ms]}. Prints {@code inference API listening on 127.0.0.1:<port>} once it answers.
 */
public final class StandInInferenceServer implements AutoCloseable {
  private static final int WORKERS = 16;

  private final HttpServer server;
  private final ExecutorService workers;
  private final Duration requestTime;
  private final AtomicBoolean accepting = new AtomicBoolean(true);
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong served = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();

  /**
   * @param port 0 for an ephemeral port
   * @param requestTime how long one inference takes unless the request says otherwise
   */
  public StandInInferenceServer(int port, Duration requestTime) throws IOException {
    this.requestTime = requestTime;
    this.server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    this.workers =
        new ThreadPoolExecutor(
            WORKERS,
            WORKERS,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(256),
            r -> {
              Thread t = new Thread(r, "inference");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(workers);
    server.createContext("/health", this::health);
    server.createContext("/v1/completions", this::complete);
    server.createContext("/drain", this::drain);
  }

  public StandInInferenceServer start() {
    server.start();
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Requests being served now. */
  public int inFlight() {
    return inFlight.get();
  }

  /** Requests served to the end. */
  public long served() {
    return served.get();
  }

  /** Stops accepting new requests; those in flight finish. */
  public void beginDrain() {
    accepting.set(false);
  }

  /** Drains and waits until no request is in flight or the grace has passed; true when empty. */
  public boolean drain(Duration grace) throws InterruptedException {
    beginDrain();
    long end = System.nanoTime() + grace.toNanos();
    while (inFlight.get() > 0 && System.nanoTime() < end) {
      Thread.sleep(10);
    }
    return inFlight.get() == 0;
  }

  private void health(HttpExchange x) throws IOException {
    boolean open = accepting.get();
    String body =
        String.format(
            Locale.ROOT,
            "{\"status\":\"%s\",\"accepting\":%b,\"in_flight\":%d,\"served\":%d,\"refused\":%d}",
            open ? "ok" : "draining",
            open,
            inFlight.get(),
            served.get(),
            refused.get());
    reply(x, open ? 200 : 503, body);
  }

  private void complete(HttpExchange x) throws IOException {
    if (!"POST".equals(x.getRequestMethod())) {
      reply(x, 405, "{\"error\":\"POST only\"}");
      return;
    }
    x.getRequestBody().readAllBytes();
    // counted before the check, so a drain that sees 0 in flight never misses a request
    inFlight.incrementAndGet();
    try {
      if (!accepting.get()) {
        refused.incrementAndGet();
        reply(x, 503, "{\"error\":\"draining: not accepting new requests\"}");
        return;
      }
      long ms = requestTime.toMillis();
      String q = x.getRequestURI().getRawQuery();
      if (q != null && q.startsWith("ms=")) {
        ms = Long.parseLong(q.substring(3));
      }
      try {
        Thread.sleep(ms);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        reply(x, 500, "{\"error\":\"interrupted\"}");
        return;
      }
      long n = served.incrementAndGet();
      reply(
          x,
          200,
          "{\"id\":\"cmpl-"
              + n
              + "\",\"choices\":[{\"text\":\"stand-in\"}],\"latency_ms\":"
              + ms
              + "}");
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private void drain(HttpExchange x) throws IOException {
    if (!"POST".equals(x.getRequestMethod())) {
      reply(x, 405, "{\"error\":\"POST only\"}");
      return;
    }
    beginDrain();
    reply(x, 202, "{\"status\":\"draining\",\"in_flight\":" + inFlight.get() + "}");
  }

  private static void reply(HttpExchange x, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "application/json");
    x.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
  }

  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
    long requestMs = args.length > 1 ? Long.parseLong(args[1]) : 200;
    long graceMs = args.length > 2 ? Long.parseLong(args[2]) : 30_000;
    StandInInferenceServer s =
        new StandInInferenceServer(port, Duration.ofMillis(requestMs)).start();
    System.out.println("inference API listening on 127.0.0.1:" + s.port());
    System.out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    boolean empty = s.drain(Duration.ofMillis(graceMs));
                    System.out.println(
                        "stand-in inference server stopping: "
                            + (empty ? "drained" : s.inFlight() + " requests cut off")
                            + ", "
                            + s.served()
                            + " served");
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  System.out.flush();
                  s.close();
                  stopped.countDown();
                }));
    stopped.await();
  }
}
