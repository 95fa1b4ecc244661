package io.flexrig.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flexrig.agent.outbox.SqliteOutbox;
import io.flexrig.agent.uplink.FleetMessages;
import io.flexrig.agent.uplink.FleetUplink;
import io.flexrig.agent.uplink.TelemetryOutbox;
import io.flexrig.agent.uplink.UplinkSettings;
import io.flexrig.controller.ControllerConfig;
import io.flexrig.controller.FleetController;
import io.flexrig.controller.GracefulShutdown;
import io.flexrig.controller.store.ControllerStore;
import io.flexrig.controller.store.TelemetryRetention;
import io.flexrig.controller.store.TelemetryRollups;
import io.flexrig.proto.v1.AgentHello;
import io.flexrig.proto.v1.Quality;
import io.flexrig.proto.v1.RigIdentity;
import io.flexrig.proto.v1.RigState;
import io.flexrig.proto.v1.TelemetrySample;
import io.flexrig.testkit.SuiteFigures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault run, full size by default: 100 production uplinks, each with its durable SQLite
 * outbox, stream telemetry through a TCP proxy into a real controller while the controller restarts
 * 10 times and the network partitions 5 times for 60 s. Afterwards every sample an agent numbered
 * is in the controller's store exactly once, each rig's sequences contiguous, and the 1-minute
 * rollups count every sample exactly once too.
 *
 * <p>To keep the wall time near the 5 x 60 s the partitions need, faults overlap: each cycle is a
 * restart of a connected fleet (alternately graceful, with {@code Reconnect} and drain, and abrupt,
 * sessions cut at once), then a 60 s partition with a second restart in its middle, while the
 * agents are cut off and keep sampling into their outboxes. About 6 minutes in all.
 *
 * <p>{@code -Dflexrig.fault=reduced} runs a small variant for local work (3 restarts, 2 partitions
 * of 4 s, about 40 s).
 *
 * <p>Duplicates cannot land in the store (its key is (rig, sequence)), so the run also counts what
 * the agents resent on the wire after a reconnect: the duplicates the store's key had to absorb.
 */
@Tag("integration")
@Tag("reliability")
class FleetFaultTest {

  /**
   * One run's size.
   *
   * @param partitions partitions of the proxy, one per cycle
   * @param partition how long each lasts
   * @param restarts controller restarts: one per cycle while connected, one inside each partition,
   *     any left over at the end
   * @param sampleEvery each agent's sampling period
   */
  private record Plan(
      String name,
      int agents,
      int partitions,
      Duration partition,
      int restarts,
      Duration sampleEvery) {}

  private static final Plan FULL =
      new Plan("full", 100, 5, Duration.ofSeconds(60), 10, Duration.ofMillis(500));
  private static final Plan REDUCED =
      new Plan("reduced", 100, 2, Duration.ofSeconds(4), 3, Duration.ofMillis(200));
  private static final Plan PLAN =
      "reduced".equalsIgnoreCase(System.getProperty("flexrig.fault", "full")) ? REDUCED : FULL;

  private static final String SITE = "fault-site";
  // Agents told to reconnect wait 200 ms plus up to 500 ms, so a restart costs about a second.
  private static final GracefulShutdown GRACEFUL =
      GracefulShutdown.DEFAULT
          .withDrain(Duration.ofSeconds(5))
          .withReconnect(Duration.ofMillis(200), Duration.ofMillis(500));
  private static final GracefulShutdown ABRUPT = GRACEFUL.withDrain(Duration.ZERO);

  /** What happens, in order. */
  private sealed interface Fault {}

  /** A restart of the controller while every agent is connected. */
  private record Restart(boolean graceful) implements Fault {}

  /** A partition of the proxy, with a controller restart in its middle or not. */
  private record Partition(Duration length, boolean restartInside) implements Fault {}

  private static List<Fault> timeline(Plan plan) {
    List<Fault> faults = new ArrayList<>();
    int restartsLeft = plan.restarts();
    for (int c = 0; c < plan.partitions(); c++) {
      if (restartsLeft > 0) {
        faults.add(new Restart(c % 2 == 0));
        restartsLeft--;
      }
      boolean inside = restartsLeft > 0;
      faults.add(new Partition(plan.partition(), inside));
      restartsLeft -= inside ? 1 : 0;
    }
    for (; restartsLeft > 0; restartsLeft--) {
      faults.add(new Restart(restartsLeft % 2 == 0));
    }
    return faults;
  }

  @TempDir Path dir;

  private final List<Agent> agents = new ArrayList<>();
  private FleetController controller;
  private ChaosProxy proxy;
  private ScheduledExecutorService producers;
  // How each coming controller close goes (a controller stops as its config says, so each one is
  // started knowing how its own stop will be): true graceful, false abrupt.
  private final Deque<Boolean> closes = new ArrayDeque<>();

  @AfterEach
  void closeEverything() {
    if (producers != null) {
      producers.shutdownNow();
    }
    agents.parallelStream().forEach(Agent::close);
    if (proxy != null) {
      proxy.close();
    }
    if (controller != null) {
      controller.close();
    }
  }

  @Test
  void everySampleIsStoredExactlyOnceThroughControllerRestartsAndPartitions() throws Exception {
    long began = System.nanoTime();
    Path db = dir.resolve("controller.db");
    int port = freePort();
    List<Fault> timeline = timeline(PLAN);
    for (Fault f : timeline) {
      switch (f) {
        case Restart r -> closes.add(r.graceful());
        case Partition p -> {
          if (p.restartInside()) {
            closes.add(true);
          }
        }
      }
    }
    controller = startController(port, db, nextClose());
    proxy = new ChaosProxy(port, PLAN.agents() * 2);
    UplinkSettings settings =
        UplinkSettings.plaintext(proxy.target())
            .withBackoff(Duration.ofMillis(50), Duration.ofMillis(500));
    for (int i = 1; i <= PLAN.agents(); i++) {
      agents.add(new Agent(String.format("rig-%03d", i), settings, dir));
    }
    agents.forEach(Agent::start);
    awaitFleetConnected("every agent connected");
    startProducing(PLAN.sampleEvery());
    long runStart = System.nanoTime();

    int restarts = 0;
    int partitions = 0;
    int connectedFaults = 0;
    int gracefulRestarts = 0;
    for (Fault f : timeline) {
      // Each of these faults must hit a connected fleet, so every agent goes through it.
      awaitFleetConnected("every agent connected before fault " + (restarts + partitions + 1));
      Thread.sleep(1_000); // a moment of steady streaming between faults
      connectedFaults++;
      switch (f) {
        case Restart r -> {
          restart(port, db);
          restarts++;
          gracefulRestarts += r.graceful() ? 1 : 0;
        }
        case Partition p -> {
          proxy.partition();
          long healAt = System.nanoTime() + p.length().toNanos();
          if (p.restartInside()) {
            Thread.sleep(p.length().toMillis() / 2);
            restart(port, db);
            restarts++;
          }
          sleepUntil(healAt);
          proxy.heal();
          partitions++;
        }
      }
    }
    awaitFleetConnected("every agent connected after the last fault");
    Thread.sleep(2_000);
    producers.shutdown();
    assertThat(producers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    double runS = (System.nanoTime() - runStart) / 1e9;

    long drainStart = System.nanoTime();
    await("every outbox acknowledged")
        .atMost(60, TimeUnit.SECONDS)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> agents.stream().allMatch(a -> a.outbox.size() == 0));
    double drainS = (System.nanoTime() - drainStart) / 1e9;

    long minSessions = agents.stream().mapToLong(a -> a.uplink.sessions()).min().orElse(0);
    long minReconnectRequests =
        agents.stream().mapToLong(a -> a.uplink.reconnectRequests()).min().orElse(0);
    long resent = agents.stream().mapToLong(a -> a.outbox.resent.get()).sum();
    long outboxDrops = agents.stream().mapToLong(a -> a.outbox.dropped()).sum();
    long misnumbered = agents.stream().mapToLong(a -> a.misnumbered.get()).sum();
    agents.parallelStream().forEach(Agent::close);
    controller.close();
    long rolledUp = rollUpEverything(db);

    Map<String, List<double[]>> stored = readStore(db);
    long produced = 0;
    long storedTotal = 0;
    long lost = 0;
    long duplicated = 0;
    long foreign = 0;
    long wrongContent = 0;
    List<String> broken = new ArrayList<>();
    for (Agent a : agents) {
      long n = a.produced.get();
      produced += n;
      List<double[]> rows = stored.getOrDefault(a.rigId, List.of());
      storedTotal += rows.size();
      boolean[] seen = new boolean[(int) n + 1];
      for (double[] row : rows) {
        long seq = (long) row[0];
        if (seq < 1 || seq > n) {
          foreign++;
        } else if (seen[(int) seq]) {
          duplicated++;
        } else {
          seen[(int) seq] = true;
          if (row[1] != powerOf(a.index, seq)) {
            wrongContent++;
          }
        }
      }
      long missing = 0;
      for (int s = 1; s <= n; s++) {
        if (!seen[s]) {
          missing++;
        }
      }
      lost += missing;
      if (missing > 0 || rows.size() != n) {
        broken.add(a.rigId + " produced " + n + " stored " + rows.size());
      }
    }
    double totalS = (System.nanoTime() - began) / 1e9;

    String summary =
        String.format(
            "FleetFaultTest (%s): %d agents, %d samples produced, %d stored, %d lost, %d duplicated"
                + " (%d resent on the wire after reconnects, absorbed by the store's key),"
                + " %d counted by the 1-minute rollups;"
                + " %d controller restarts (%d graceful while connected), %d partitions of %d s"
                + " (%d connections cut, %d refused); run %.1f s, drained in %.1f s, total %.1f s",
            PLAN.name(),
            PLAN.agents(),
            produced,
            storedTotal,
            lost,
            duplicated,
            resent,
            rolledUp,
            restarts,
            gracefulRestarts,
            partitions,
            PLAN.partition().toSeconds(),
            proxy.cut(),
            proxy.refused(),
            runS,
            drainS,
            totalS);
    System.out.println(summary);
    SuiteFigures.record(FleetFaultTest.class, "agents (" + PLAN.name() + " plan)", PLAN.agents());
    SuiteFigures.record(FleetFaultTest.class, "controller restarts", restarts);
    SuiteFigures.record(FleetFaultTest.class, "network partitions", partitions);
    SuiteFigures.record(FleetFaultTest.class, "samples sent", produced);
    SuiteFigures.record(FleetFaultTest.class, "samples stored", storedTotal);
    SuiteFigures.record(FleetFaultTest.class, "samples lost", lost);
    SuiteFigures.record(FleetFaultTest.class, "samples duplicated", duplicated);
    System.out.printf(
        "  fewest sessions of one agent %d, fewest Reconnects received %d, outbox drops %d,"
            + " misnumbered appends %d, samples with another agent's content %d, outside 1..N %d%n",
        minSessions, minReconnectRequests, outboxDrops, misnumbered, wrongContent, foreign);

    assertThat(broken).as(summary).isEmpty();
    assertThat(lost).as(summary).isZero();
    assertThat(duplicated).as(summary).isZero();
    assertThat(foreign).as(summary).isZero();
    assertThat(wrongContent).as(summary).isZero();
    assertThat(storedTotal).as(summary).isEqualTo(produced);
    assertThat(rolledUp).as(summary).isEqualTo(produced);
    assertThat(misnumbered).isZero();
    assertThat(outboxDrops).isZero();
    // Every agent went through every fault hitting a connected fleet (each ends the session it
    // had) and was told to reconnect by every graceful restart.
    assertThat(minSessions).isGreaterThanOrEqualTo(1 + connectedFaults);
    assertThat(minReconnectRequests).isGreaterThanOrEqualTo(gracefulRestarts);
    assertThat(produced).isGreaterThan(PLAN.agents() * 50L);
    assertThat(restarts).isEqualTo(PLAN.restarts());
    assertThat(partitions).isEqualTo(PLAN.partitions());
  }

  @Test
  void aGracefulRestartLosesNothingAndResendsNothing() throws Exception {
    Path db = dir.resolve("graceful.db");
    int port = freePort();
    controller = startController(port, db, GRACEFUL);
    UplinkSettings settings =
        UplinkSettings.plaintext("127.0.0.1:" + port)
            .withBackoff(Duration.ofMillis(50), Duration.ofMillis(500));
    for (int i = 1; i <= 10; i++) {
      agents.add(new Agent(String.format("rig-%03d", i), settings, dir));
    }
    agents.forEach(Agent::start);
    awaitFleetConnected("every agent connected");
    startProducing(Duration.ofMillis(50));

    for (int r = 0; r < 2; r++) {
      Thread.sleep(1_000);
      restart(port, db);
      awaitFleetConnected("every agent back after restart " + (r + 1));
    }
    Thread.sleep(500);
    producers.shutdown();
    assertThat(producers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    await("every outbox acknowledged")
        .atMost(30, TimeUnit.SECONDS)
        .until(() -> agents.stream().allMatch(a -> a.outbox.size() == 0));
    agents.parallelStream().forEach(Agent::close);
    controller.close();

    Map<String, List<double[]>> stored = readStore(db);
    for (Agent a : agents) {
      assertThat(stored.getOrDefault(a.rigId, List.of()))
          .as(a.rigId)
          .hasSize((int) a.produced.get());
      // Each agent left only once the controller had acknowledged all it sent: nothing was in
      // flight, so nothing went over the wire twice.
      assertThat(a.outbox.resent.get()).as(a.rigId + " resent").isZero();
      assertThat(a.uplink.reconnectRequests()).as(a.rigId).isEqualTo(2);
    }
  }

  private void awaitFleetConnected(String what) {
    await(what)
        .atMost(60, TimeUnit.SECONDS)
        .until(() -> agents.stream().allMatch(a -> a.uplink.connected()));
  }

  private void startProducing(Duration every) {
    producers =
        Executors.newScheduledThreadPool(
            4, Thread.ofPlatform().name("producer-", 0).daemon(true).factory());
    long spreadNanos = every.toNanos() / agents.size();
    for (int i = 0; i < agents.size(); i++) {
      Agent a = agents.get(i);
      producers.scheduleAtFixedRate(
          a::produce, i * spreadNanos, every.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  private void restart(int port, Path db) {
    controller.close();
    controller = startController(port, db, nextClose());
  }

  private GracefulShutdown nextClose() {
    Boolean graceful = closes.poll();
    return graceful == null || graceful ? GRACEFUL : ABRUPT;
  }

  /** Runs the controller's rollup job over the whole store; returns the samples it counted. */
  private static long rollUpEverything(Path db) throws Exception {
    try (ControllerStore store = ControllerStore.open(db)) {
      new TelemetryRollups(store, TelemetryRetention.DEFAULT, Clock.systemUTC())
          .rollUp()
          .get(60, TimeUnit.SECONDS);
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath());
        PreparedStatement ps =
            c.prepareStatement("SELECT COALESCE(SUM(sample_count), 0) FROM telemetry_rollups");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Power encodes rig and sequence, so a sample stored under the wrong number is noticed. */
  private static double powerOf(int index, long sequence) {
    return 1_000 + index * 10 + sequence % 10;
  }

  private static FleetController startController(int port, Path db, GracefulShutdown shutdown) {
    ControllerConfig config =
        new ControllerConfig(port, db, true, Duration.ofMillis(200), Clock.systemUTC())
            .withShutdown(shutdown);
    // The port was just given up by the previous controller; the OS may take a moment.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (true) {
      try {
        return new FleetController(config).start();
      } catch (UncheckedIOException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        sleepQuietly(100);
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long left = nanoTime - System.nanoTime();
    if (left > 0) {
      TimeUnit.NANOSECONDS.sleep(left);
    }
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** rig id -> rows of (sequence, power_w), read with plain JDBC after the controller closed. */
  private static Map<String, List<double[]>> readStore(Path db) throws Exception {
    Map<String, List<double[]>> out = new HashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath());
        PreparedStatement ps =
            c.prepareStatement("SELECT rig_id, sequence, power_w FROM telemetry");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
            .add(new double[] {rs.getLong(2), rs.getDouble(3)});
      }
    }
    return out;
  }

  /** One rig: the production uplink over its durable outbox, and a sample every interval. */
  private static final class Agent implements AutoCloseable {
    final String rigId;
    final int index;
    final CountingOutbox outbox;
    final FleetUplink uplink;
    final AtomicLong produced = new AtomicLong();
    final AtomicLong misnumbered = new AtomicLong();
    private boolean closed;

    Agent(String rigId, UplinkSettings settings, Path dir) {
      this.rigId = rigId;
      this.index = Integer.parseInt(rigId.substring(4));
      this.outbox =
          new CountingOutbox(
              SqliteOutbox.open(dir.resolve(rigId + "-outbox.db"), 8 << 20, n -> {}));
      AgentHello hello =
          AgentHello.newBuilder()
              .setRig(
                  RigIdentity.newBuilder()
                      .setRigId(rigId)
                      .setSiteId(SITE)
                      .setHardwareProfileId("antminer-s19j-pro"))
              .setAgentVersion("fault-test")
              .build();
      this.uplink = new FleetUplink(settings, outbox, () -> hello, c -> {});
    }

    void start() {
      uplink.start();
    }

    /** Runs on a producer thread; one agent's samples are never appended concurrently. */
    void produce() {
      long next = produced.get() + 1;
      TelemetrySample numbered =
          outbox.append(
              TelemetrySample.newBuilder()
                  .setSampledAt(FleetMessages.timestamp(Instant.now()))
                  .setState(RigState.RIG_STATE_RUNNING)
                  .setPowerW(powerOf(index, next))
                  .setPowerQuality(Quality.QUALITY_GOOD)
                  .build());
      if (numbered.getSequence() != next) {
        misnumbered.incrementAndGet();
      }
      produced.set(numbered.getSequence());
      uplink.samplesAvailable();
    }

    @Override
    public synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      uplink.close();
      outbox.close();
    }
  }

  /**
   * The durable outbox, counting the samples the uplink takes a second time: it takes samples only
   * to put them in a batch on the stream, so these are what went over the wire more than once.
   */
  private static final class CountingOutbox implements TelemetryOutbox, AutoCloseable {
    private final SqliteOutbox delegate;
    final AtomicLong resent = new AtomicLong();
    private long highestTaken;

    CountingOutbox(SqliteOutbox delegate) {
      this.delegate = delegate;
    }

    @Override
    public TelemetrySample append(TelemetrySample unnumbered) {
      return delegate.append(unnumbered);
    }

    @Override
    public long lastSequence() {
      return delegate.lastSequence();
    }

    @Override
    public synchronized List<TelemetrySample> after(long sequence, int max) {
      List<TelemetrySample> batch = delegate.after(sequence, max);
      for (TelemetrySample s : batch) {
        if (s.getSequence() <= highestTaken) {
          resent.incrementAndGet();
        } else {
          highestTaken = s.getSequence();
        }
      }
      return batch;
    }

    @Override
    public void ackThrough(long sequence) {
      delegate.ackThrough(sequence);
    }

    @Override
    public void continueAfter(long storedThrough) {
      delegate.continueAfter(storedThrough);
    }

    @Override
    public int size() {
      return delegate.size();
    }

    @Override
    public long dropped() {
      return delegate.dropped();
    }

    @Override
    public void keepAlarm(io.flexrig.proto.v1.Alarm alarm) {
      delegate.keepAlarm(alarm);
    }

    @Override
    public List<io.flexrig.proto.v1.Alarm> pendingAlarms() {
      return delegate.pendingAlarms();
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
