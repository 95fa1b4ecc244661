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
import io.flexrig.proto.v1.AgentHello;
import io.flexrig.proto.v1.Quality;
import io.flexrig.proto.v1.RigIdentity;
import io.flexrig.proto.v1.RigState;
import io.flexrig.proto.v1.TelemetrySample;
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
import java.util.ArrayList;
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
 * The reliability suite's fault run, reduced to run in the default build: 100 production uplinks,
 * each with its durable SQLite outbox, stream telemetry through a TCP proxy into a real controller
 * while the controller restarts and the network partitions at fixed points. Afterwards every sample
 * an agent numbered is in the controller's store exactly once, each rig's sequences contiguous.
 *
 * <p>Duplicates cannot land in the store (its key is (rig, sequence)), so the run also counts what
 * the agents resent on the wire after a reconnect: the duplicates the store's key had to absorb.
 */
@Tag("integration")
@Tag("reliability")
class FleetFaultTest {

  private static final int AGENTS = 100;
  private static final Duration SAMPLE_EVERY = Duration.ofMillis(200);
  private static final Duration RUN = Duration.ofSeconds(30);
  private static final Duration PARTITION = Duration.ofSeconds(4);
  private static final String SITE = "fault-site";

  /** What happens when, in seconds after the agents start producing. */
  private sealed interface Fault {}

  private record Restart(int atS) implements Fault {}

  private record Partition(int atS) implements Fault {}

  private static final List<Fault> TIMELINE =
      List.of(
          new Restart(4), new Partition(7), new Restart(14), new Partition(17), new Restart(25));

  @TempDir Path dir;

  private final List<Agent> agents = new ArrayList<>();
  private FleetController controller;
  private ChaosProxy proxy;
  private ScheduledExecutorService producers;

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
    controller = startController(port, db);
    proxy = new ChaosProxy(port, AGENTS * 2);
    UplinkSettings settings =
        UplinkSettings.plaintext(proxy.target())
            .withBackoff(Duration.ofMillis(50), Duration.ofMillis(500));
    for (int i = 1; i <= AGENTS; i++) {
      agents.add(new Agent(String.format("rig-%03d", i), settings, dir));
    }
    agents.forEach(Agent::start);
    await("every agent connected")
        .atMost(30, TimeUnit.SECONDS)
        .until(() -> agents.stream().allMatch(a -> a.uplink.connected()));

    producers =
        Executors.newScheduledThreadPool(
            4, Thread.ofPlatform().name("producer-", 0).daemon(true).factory());
    long spreadNanos = SAMPLE_EVERY.toNanos() / AGENTS;
    for (int i = 0; i < AGENTS; i++) {
      Agent a = agents.get(i);
      producers.scheduleAtFixedRate(
          a::produce, i * spreadNanos, SAMPLE_EVERY.toNanos(), TimeUnit.NANOSECONDS);
    }
    long runStart = System.nanoTime();

    int restarts = 0;
    int partitions = 0;
    for (Fault f : TIMELINE) {
      int atS = f instanceof Restart r ? r.atS() : ((Partition) f).atS();
      sleepUntil(runStart + TimeUnit.SECONDS.toNanos(atS));
      // Each fault must hit a connected fleet, so every agent goes through every fault.
      await("every agent connected before the fault at " + atS + " s")
          .atMost(30, TimeUnit.SECONDS)
          .until(() -> agents.stream().allMatch(a -> a.uplink.connected()));
      switch (f) {
        case Restart r -> {
          controller.close();
          controller = startController(port, db);
          restarts++;
        }
        case Partition p -> {
          proxy.partition();
          Thread.sleep(PARTITION.toMillis());
          proxy.heal();
          partitions++;
        }
      }
    }
    sleepUntil(runStart + RUN.toNanos());
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
    long resent = agents.stream().mapToLong(a -> a.outbox.resent.get()).sum();
    long outboxDrops = agents.stream().mapToLong(a -> a.outbox.dropped()).sum();
    long misnumbered = agents.stream().mapToLong(a -> a.misnumbered.get()).sum();
    agents.parallelStream().forEach(Agent::close);
    controller.close();

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
            "FleetFaultTest: %d agents, %d samples produced, %d stored, %d lost, %d duplicated"
                + " (%d resent on the wire after reconnects, absorbed by the store's key);"
                + " %d controller restarts, %d partitions of %d s (%d connections cut, %d refused);"
                + " run %.1f s, drained in %.1f s, total %.1f s",
            AGENTS,
            produced,
            storedTotal,
            lost,
            duplicated,
            resent,
            restarts,
            partitions,
            PARTITION.toSeconds(),
            proxy.cut(),
            proxy.refused(),
            runS,
            drainS,
            totalS);
    System.out.println(summary);
    System.out.printf(
        "  fewest sessions of one agent %d, outbox drops %d, misnumbered appends %d,"
            + " samples with another agent's content %d, outside 1..N %d%n",
        minSessions, outboxDrops, misnumbered, wrongContent, foreign);

    assertThat(broken).as(summary).isEmpty();
    assertThat(lost).as(summary).isZero();
    assertThat(duplicated).as(summary).isZero();
    assertThat(foreign).as(summary).isZero();
    assertThat(wrongContent).as(summary).isZero();
    assertThat(storedTotal).as(summary).isEqualTo(produced);
    assertThat(misnumbered).isZero();
    assertThat(outboxDrops).isZero();
    // Every agent went through every fault (each ends the session it had) and was still producing.
    assertThat(minSessions).isGreaterThanOrEqualTo(1 + TIMELINE.size());
    assertThat(produced).isGreaterThan(AGENTS * 50L);
    assertThat(restarts).isEqualTo(3);
    assertThat(partitions).isEqualTo(2);
  }

  /** Power encodes rig and sequence, so a sample stored under the wrong number is noticed. */
  private static double powerOf(int index, long sequence) {
    return 1_000 + index * 10 + sequence % 10;
  }

  private static FleetController startController(int port, Path db) {
    ControllerConfig config =
        new ControllerConfig(port, db, true, Duration.ofMillis(200), Clock.systemUTC());
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
