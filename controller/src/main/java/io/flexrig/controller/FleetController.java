package io.flexrig.controller;

import io.flexrig.controller.compliance.ComplianceReports;
import io.flexrig.controller.dispatch.Dispatcher;
import io.flexrig.controller.events.CurtailmentEventRunner;
import io.flexrig.controller.events.StandingCommands;
import io.flexrig.controller.fleet.FleetState;
import io.flexrig.controller.grpc.AccessControl;
import io.flexrig.controller.grpc.FleetServiceImpl;
import io.flexrig.controller.grpc.GridServiceImpl;
import io.flexrig.controller.grpc.GridTokens;
import io.flexrig.controller.grpc.InternalGridDoor;
import io.flexrig.controller.grpc.SessionRegistry;
import io.flexrig.controller.hybrid.HybridSettings;
import io.flexrig.controller.hybrid.HybridSite;
import io.flexrig.controller.hybrid.HybridSwitching;
import io.flexrig.controller.metrics.FleetMetrics;
import io.flexrig.controller.price.PeakAvoidance;
import io.flexrig.controller.price.PriceCurtailment;
import io.flexrig.controller.price.PriceFeed;
import io.flexrig.controller.price.PriceSettings;
import io.flexrig.controller.price.PriceStack;
import io.flexrig.controller.price.PriceStatus;
import io.flexrig.controller.price.StrikeBook;
import io.flexrig.controller.price.VtnPriceFeed;
import io.flexrig.controller.store.ControllerStore;
import io.flexrig.controller.store.StoredRig;
import io.flexrig.controller.store.TelemetryRollups;
import io.flexrig.core.economics.EconomicsSeeds;
import io.flexrig.core.economics.PowerPrice;
import io.flexrig.core.economics.SeedScenario;
import io.flexrig.core.economics.WorkloadDecision;
import io.flexrig.core.profile.ProfileCatalog;
import io.flexrig.metricshttp.MetricsEndpoint;
import io.flexrig.proto.v1.FleetServiceGrpc;
import io.flexrig.proto.v1.GridServiceGrpc;
import io.flexrig.proto.v1.Reconnect;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.Status;
import io.grpc.TlsServerCredentials;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet controller: agents' sessions, the grid operator's API, curtailment events and the
 * store, behind one gRPC server with the standard health service.
 *
 * <pre>{@code
 * try (var controller = new FleetController(ControllerConfig.loopback(0, dbFile))) {
 *   controller.start();
 *   int port = controller.port();
 * }
 * }</pre>
 */
public final class FleetController implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(FleetController.class);
  private static final long SHUTDOWN_GRACE_MS = 3_000;
  // An agent's batch is at most a few hundred kB; anything bigger is refused while deframing,
  // before it is held in memory (RESOURCE_EXHAUSTED).
  static final int MAX_INBOUND_MESSAGE_BYTES = 4 * 1024 * 1024;

  private final ControllerConfig config;
  private ControllerStore store;
  private FleetState fleet;
  private SessionRegistry sessions;
  private CurtailmentEventRunner events;
  private GridServiceImpl grid;
  private HealthStatusManager health;
  private TelemetryRollups rollups;
  private ThreadPoolExecutor executor;
  private Server server;
  private MetricsEndpoint metrics;
  private VtnPriceFeed vtnPrices;
  private volatile PriceCurtailment priceDispatch;
  private volatile HybridSwitching hybridSwitching;
  private boolean closed;

  public FleetController(ControllerConfig config) {
    this.config = config;
  }

  /**
   * Opens the store, restores rigs and unfinished events, and starts serving.
   *
   * @throws IllegalStateException when started twice
   * @throws UncheckedIOException when the port cannot be bound
   * @throws io.flexrig.controller.store.StoreException when the database cannot be opened
   */
  public synchronized FleetController start() {
    if (server != null) {
      throw new IllegalStateException("already started");
    }
    store =
        config.databaseUrl() == null
            ? ControllerStore.open(config.databaseFile())
            : ControllerStore.open(config.databaseUrl());
    try {
      fleet = new FleetState(config.clock());
      for (StoredRig rig : store.loadRigs()) {
        fleet.restore(rig.registration(), rig.storedThroughSequence());
      }
      sessions = new SessionRegistry();
      events =
          new CurtailmentEventRunner(
              fleet,
              store,
              sessions,
              new Dispatcher(),
              config.clock(),
              CurtailmentEventRunner.Timing.DEFAULT);
      events.resume();
      rollups = new TelemetryRollups(store, config.retention(), config.clock()).start();
      grid =
          new GridServiceImpl(
                  events,
                  fleet,
                  config.clock(),
                  store,
                  new ComplianceReports(
                      store.complianceRecords(), store, config.clock(), ZoneOffset.UTC))
              .priceStatus(this::priceStatus);
      ControllerTls tls = config.tls();
      GridTokens tokens =
          tls == null || tls.gridTokenFile() == null
              ? GridTokens.none()
              : GridTokens.load(tls.gridTokenFile());
      health = new HealthStatusManager();
      int threads = Math.max(4, Runtime.getRuntime().availableProcessors() * 2);
      executor =
          new ThreadPoolExecutor(
              threads,
              threads,
              60,
              TimeUnit.SECONDS,
              new LinkedBlockingQueue<>(100_000),
              Thread.ofPlatform().name("grpc-app-", 0).daemon(true).factory());
      server =
          NettyServerBuilder.forAddress(
                  new InetSocketAddress(config.bindHost(), config.port()), credentials(tls))
              .executor(executor)
              .intercept(new AccessControl(tls == null, tokens, store, config.clock()))
              // Matches the agent's keepalive: agents may ping every 10 s; a dead peer is found
              // within 30 s + 10 s even when it sends nothing.
              .permitKeepAliveTime(10, TimeUnit.SECONDS)
              .permitKeepAliveWithoutCalls(true)
              .keepAliveTime(30, TimeUnit.SECONDS)
              .keepAliveTimeout(10, TimeUnit.SECONDS)
              .maxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES)
              .addService(
                  new FleetServiceImpl(
                      fleet, store, sessions, config.clock(), config.telemetryInterval()))
              .addService(grid)
              .addService(health.getHealthService())
              .build()
              .start();
      startPriceDispatch();
      if (config.metrics() != null) {
        ControllerStore s = store;
        ThreadPoolExecutor rpc = executor;
        metrics =
            MetricsEndpoint.start(
                config.metrics(),
                new FleetMetrics(
                        fleet,
                        events,
                        sessions::size,
                        () -> s.writer().backlog(),
                        () -> rpc.getQueue().size(),
                        config.clock())
                    .price(this::priceStatus));
        log.info("/metrics on {}:{}", config.metrics().bindAddress(), metrics.port());
      }
    } catch (IOException e) {
      closeQuietly();
      throw new UncheckedIOException(
          "cannot listen on " + config.bindHost() + ":" + config.port(), e);
    } catch (RuntimeException e) {
      closeQuietly();
      throw e;
    }
    health.setStatus("", ServingStatus.SERVING);
    health.setStatus(FleetServiceGrpc.SERVICE_NAME, ServingStatus.SERVING);
    health.setStatus(GridServiceGrpc.SERVICE_NAME, ServingStatus.SERVING);
    log.info(
        "Fleet controller listening on {}:{} ({}), database {}",
        config.bindHost(),
        port(),
        config.plaintext() ? "PLAINTEXT, development only" : "mTLS",
        store.url());
    return this;
  }

  /**
   * Price-driven dispatch, when configured: the VTN's PRICE intervals first, then the configured
   * feeds; it leaves a site under an active grid event to that event.
   */
  private void startPriceDispatch() {
    PriceSettings settings = config.price();
    if (settings == null) {
      return;
    }
    vtnPrices = new VtnPriceFeed();
    List<PriceFeed> feeds = new ArrayList<>();
    feeds.add(vtnPrices);
    feeds.addAll(settings.feeds());
    PriceStack price = new PriceStack(feeds);
    PeakAvoidance peaks =
        settings
            .fourCp()
            .map(
                cp ->
                    new PeakAvoidance(
                        cp.window(), cp.forecast(), price, cp.transmissionUsdPerKwYear()))
            .orElseGet(PeakAvoidance::none);
    CurtailmentEventRunner runner = events;
    priceDispatch =
        new PriceCurtailment(
                fleet,
                sessions,
                store,
                StrikeBook.seeds(),
                price,
                peaks,
                settings.planner(),
                site -> runner.activeEventOf(site).isPresent(),
                config.clock())
            .start(settings.tick());
    startHybridSwitching(price, runner);
    log.info(
        "Price-driven dispatch every {} s from {} (OpenADR PRICE intervals first){}",
        settings.tick().toMillis() / 1000.0,
        settings.feeds().stream().map(PriceFeed::name).toList(),
        settings.fourCp().isPresent() ? ", with 4CP peak avoidance" : "");
  }

  /** The mining/AI choice of hybrid sites, at the same power price as price-driven dispatch. */
  private void startHybridSwitching(PowerPrice price, CurtailmentEventRunner runner) {
    HybridSettings settings = config.hybrid();
    if (settings == null) {
      return;
    }
    EconomicsSeeds seeds = EconomicsSeeds.builtIn();
    hybridSwitching =
        new HybridSwitching(
                fleet,
                new StandingCommands(fleet, sessions, store),
                ProfileCatalog.builtIn()::byId,
                SeedScenario.builtIn().latest().hashprice(),
                id -> settings.aiRate().or(() -> Optional.ofNullable(seeds.aiRevenue().get(id))),
                price,
                settings.sites(),
                site -> runner.activeEventOf(site).isPresent(),
                config.clock())
            .start(settings.tick());
    log.info(
        "Hybrid sites {} choose mining or AI every {} s ({})",
        settings.sites().stream().map(HybridSite::siteId).toList(),
        settings.tick().toMillis() / 1000.0,
        settings.sites().getFirst().policy());
  }

  /** The last mining/AI decision for a hybrid site; empty when none was made or it is off. */
  public Optional<WorkloadDecision> hybridDecision(String siteId) {
    HybridSwitching h = hybridSwitching;
    return h == null ? Optional.empty() : h.lastDecision(siteId);
  }

  /**
   * Where the OpenADR VEN puts the VTN's PRICE intervals; empty when price-driven dispatch is off.
   */
  public synchronized Optional<VtnPriceFeed> vtnPrices() {
    return Optional.ofNullable(vtnPrices);
  }

  /** What price-driven dispatch sees and does; empty when it is off. */
  public Optional<PriceStatus> priceStatus() {
    PriceCurtailment p = priceDispatch;
    return p == null ? Optional.empty() : Optional.of(p.status());
  }

  /** Asks every agent to leave and waits (bounded) until they did. */
  private void drainSessions() {
    GracefulShutdown how = config.shutdown();
    if (how.drain().isZero() || sessions.size() == 0) {
      return;
    }
    int before = sessions.size();
    sessions.goAway(
        Reconnect.newBuilder()
            .addAllEndpoints(how.alternates())
            .setDelayMs((int) how.reconnectDelay().toMillis())
            .setJitterMs((int) how.reconnectJitter().toMillis())
            .setReason("controller shutting down")
            .build());
    long deadline = System.nanoTime() + how.drain().toNanos();
    while (sessions.size() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    log.info(
        "Asked {} agents to reconnect{}; {} left within {} ms",
        before,
        how.alternates().isEmpty() ? "" : " to " + String.join(", ", how.alternates()),
        before - sessions.size(),
        how.drain().toMillis());
  }

  private static ServerCredentials credentials(ControllerTls tls) throws IOException {
    if (tls == null) {
      return InsecureServerCredentials.create();
    }
    return TlsServerCredentials.newBuilder()
        .keyManager(tls.certChain().toFile(), tls.privateKey().toFile())
        .trustManager(tls.clientCa().toFile())
        .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
        .build();
  }

  /** The port the server listens on (the chosen one when configured with 0). */
  public synchronized int port() {
    if (server == null) {
      throw new IllegalStateException("not started");
    }
    return server.getPort();
  }

  /**
   * GridService for an adapter inside this process (the OpenADR VEN), acting as a grid operator
   * named {@code adapterName} in the audit log. The caller closes it.
   */
  public synchronized InternalGridDoor internalGridDoor(String adapterName) {
    if (grid == null) {
      throw new IllegalStateException("not started");
    }
    return new InternalGridDoor(grid, adapterName);
  }

  /** The port /metrics is served on; -1 when it is not served (or not started). */
  public synchronized int metricsPort() {
    return metrics == null ? -1 : metrics.port();
  }

  /** The in-memory fleet, for embedding (demo, benchmarks). */
  public synchronized FleetState fleet() {
    if (fleet == null) {
      throw new IllegalStateException("not started");
    }
    return fleet;
  }

  /**
   * Stops gracefully (SIGTERM ends here too): health NOT_SERVING, events stop (they resume at the
   * next start), no new connections or calls, every agent is sent a {@code Reconnect} and leaves
   * once its samples are acknowledged (bounded by {@link GracefulShutdown#drain()}), sessions still
   * open end with UNAVAILABLE, then the store writes what is queued and closes.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    closeQuietly();
    log.info("Fleet controller stopped");
  }

  private void closeQuietly() {
    if (metrics != null) {
      metrics.close();
    }
    if (health != null) {
      health.enterTerminalState();
    }
    if (hybridSwitching != null) {
      hybridSwitching.close();
    }
    if (priceDispatch != null) {
      priceDispatch.close();
    }
    if (events != null) {
      events.close();
    }
    if (grid != null) {
      grid.close();
    }
    if (rollups != null) {
      rollups.close();
    }
    if (server != null) {
      server.shutdown(); // no new connections or calls; open streams go on
    }
    if (sessions != null) {
      drainSessions();
      sessions.closeAll(Status.UNAVAILABLE.withDescription("controller shutting down"));
    }
    if (server != null) {
      try {
        if (!server.awaitTermination(SHUTDOWN_GRACE_MS, TimeUnit.MILLISECONDS)) {
          server.shutdownNow();
          server.awaitTermination(SHUTDOWN_GRACE_MS, TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        server.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
    if (executor != null) {
      executor.shutdownNow();
    }
    if (store != null) {
      store.close();
    }
  }
}
