package io.flexrig.bench.fleet;

import com.google.protobuf.Timestamp;
import io.flexrig.bench.Machine;
import io.flexrig.bench.dispatch.MixedFleet;
import io.flexrig.controller.ControllerConfig;
import io.flexrig.controller.FleetController;
import io.flexrig.controller.fleet.HeldCommand;
import io.flexrig.controller.fleet.RigView;
import io.flexrig.proto.v1.CancelCurtailmentEventRequest;
import io.flexrig.proto.v1.CreateCurtailmentEventRequest;
import io.flexrig.proto.v1.CurtailmentEvent;
import io.flexrig.proto.v1.EventStatus;
import io.flexrig.proto.v1.FleetServiceGrpc;
import io.flexrig.proto.v1.GetEventStatusRequest;
import io.flexrig.proto.v1.GetSiteStatusRequest;
import io.flexrig.proto.v1.GridServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * The fleet simulator: N lightweight simulated agents ({@link SimAgent}, one Connect stream each,
 * multiplexed over a few channels and two event-loop threads) speaking the real FleetService
 * protocol to a real {@link FleetController} on loopback, with its SQLite store in a temporary
 * directory. Two measurements:
 *
 * <ul>
 *   <li><b>ingest</b>: every agent keeps a window of telemetry batches in flight and sends the next
 *       one when the controller acks (acks come only after the batch committed, fsync included):
 *       samples per second sustained, and the ack lag (batch sent -> ack received).
 *   <li><b>dispatch</b>: every agent sends one sample per telemetry interval; a grid operator
 *       creates an event through GridService; per agent, the time from "create" to the agent
 *       acknowledging its curtailment command (p50, p99, all), then checked on the controller's
 *       side (every held command acknowledged) and event -> site power at target.
 * </ul>
 *
 * Bounded: every wait has a timeout and the whole run stops after {@code --max-seconds}.
 *
 * <pre>
 * java -Xmx8g -cp bench/target/flexrig-benchmarks.jar io.flexrig.bench.fleet.FleetLoad \
 *     [--agents 1000,10000] [--ingest-agents 1000] [--batches 10,30,60] [--ingest-seconds 15]
 *     [--window 2] [--events 3] [--reduce 50] [--interval-ms 1000] [--channels 8]
 *     [--max-seconds 900] [--event-timeout-s 240] [--settle-s 0] [--readings 6] [--skip-ingest] [--skip-dispatch]
 * </pre>
 */
public final class FleetLoad implements AutoCloseable {

  private static final String SITE = "bench-site";

  private final Path dir;
  private final FleetController controller;
  private final EventLoopGroup loop;
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final ManagedChannel gridChannel;
  private final GridServiceGrpc.GridServiceBlockingStub grid;
  private final List<SimAgent> agents = new ArrayList<>();
  private final FleetLoadProbe probe;
  private final ScheduledExecutorService timer;
  private final long deadlineNanos;

  FleetLoad(int agentCount, int channelCount, long deadlineNanos) throws IOException {
    this(agentCount, channelCount, deadlineNanos, 6, 1);
  }

  /**
   * @param readings named readings per simulated sample (6 as an S19's agent sends; fewer for a
   *     lighter simulator)
   * @param latencyScale scales the knob latencies of the rigs' profiles (1: as the profiles say;
   *     tests use a small fraction to stay short)
   */
  FleetLoad(int agentCount, int channelCount, long deadlineNanos, int readings, double latencyScale)
      throws IOException {
    this.deadlineNanos = deadlineNanos;
    this.dir = Files.createTempDirectory("flexrig-fleetload");
    this.controller =
        new FleetController(ControllerConfig.loopback(0, dir.resolve("controller.db"))).start();
    this.loop =
        new NioEventLoopGroup(2, Thread.ofPlatform().daemon(true).name("sim-loop-", 0).factory());
    for (int i = 0; i < channelCount; i++) {
      channels.add(channel());
    }
    this.gridChannel = channel();
    this.grid = GridServiceGrpc.newBlockingStub(gridChannel);
    this.probe = new FleetLoadProbe(agentCount);
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon(true).name("sim-timer").factory());
    MixedFleet fleet = MixedFleet.generate(agentCount, 42);
    for (int i = 0; i < agentCount; i++) {
      agents.add(new SimAgent(i, SITE, fleet.rigs().get(i), probe, readings));
      agents.getLast().latencyScale(latencyScale);
    }
  }

  private ManagedChannel channel() {
    return NettyChannelBuilder.forAddress("127.0.0.1", controller.port())
        .usePlaintext()
        .eventLoopGroup(loop)
        .channelType(NioSocketChannel.class)
        .directExecutor()
        .build();
  }

  /** What the simulated agents counted (sent, acknowledged, failures). */
  FleetLoadProbe probe() {
    return probe;
  }

  /** Stops the periodic sending and waits until every sample sent is acknowledged. */
  boolean quiesce(Duration timeout) {
    probe.mode(SimAgent.Mode.IDLE);
    return await(() -> probe.samplesAcked.get() >= probe.samplesSent.get(), timeout);
  }

  /** Opens every agent's stream, a slice at a time, and waits for all hellos to be accepted. */
  double connectAll() {
    long t0 = System.nanoTime();
    int slice = 500;
    for (int i = 0; i < agents.size(); i += slice) {
      int end = Math.min(agents.size(), i + slice);
      for (int j = i; j < end; j++) {
        agents.get(j).connect(FleetServiceGrpc.newStub(channels.get(j % channels.size())));
      }
      int expected = end;
      if (!await(() -> probe.hellos.get() >= expected, Duration.ofSeconds(60))) {
        throw new IllegalStateException(
            "only "
                + probe.hellos.get()
                + " of "
                + expected
                + " hellos accepted in 60 s; "
                + probe.firstFailure.get());
      }
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  /** One ingest measurement: the rate of acknowledged samples over a window, and ack lags. */
  record Ingest(
      int agents,
      int batch,
      int window,
      double seconds,
      double samplesPerSecond,
      String ackLag,
      long failures,
      String cpuPerSample) {}

  Ingest ingest(int batch, int window, Duration warmup, Duration measure) {
    probe.saturate(batch, window);
    agents.forEach(SimAgent::pump);
    sleep(warmup);
    probe.ackLag.clear();
    probe.recording(true);
    long acked0 = probe.samplesAcked.get();
    Map<String, Long> cpu0 = ThreadCpu.byGroup();
    long t0 = System.nanoTime();
    sleep(measure);
    long acked1 = probe.samplesAcked.get();
    Map<String, Long> cpu1 = ThreadCpu.byGroup();
    double secs = (System.nanoTime() - t0) / 1e9;
    probe.recording(false);
    probe.mode(SimAgent.Mode.IDLE);
    await(() -> probe.samplesAcked.get() >= probe.samplesSent.get(), Duration.ofSeconds(30));
    return new Ingest(
        agents.size(),
        batch,
        window,
        secs,
        (acked1 - acked0) / secs,
        probe.ackLag.summary(),
        probe.streamFailures.get(),
        ThreadCpu.perSample(cpu0, cpu1, acked1 - acked0));
  }

  /** Every agent sends one sample per interval, spread evenly over the interval. */
  void periodic(Duration interval) {
    probe.mode(SimAgent.Mode.PERIODIC);
    long tickMs = 10;
    int slices = (int) Math.max(1, interval.toMillis() / tickMs);
    int[] slice = {0};
    timer.scheduleAtFixedRate(
        () -> {
          int s = slice[0];
          slice[0] = (s + 1) % slices;
          for (int i = s; i < agents.size(); i += slices) {
            agents.get(i).tick();
          }
        },
        tickMs,
        tickMs,
        TimeUnit.MILLISECONDS);
  }

  /** One dispatch measurement. */
  record Dispatch(
      int agents,
      int commanded,
      String perAgent,
      double allAckedClientMs,
      int missedAcksOnController,
      double targetMetS,
      double createRpcMs,
      double powerAtTargetS,
      double siteKw,
      double targetKw) {}

  Dispatch dispatch(int reducePercent, Duration timeout) {
    double siteKw =
        grid.getSiteStatus(GetSiteStatusRequest.newBuilder().setSiteId(SITE).build())
            .getMeasuredKw();
    long now = System.currentTimeMillis();
    long t0 = System.nanoTime();
    probe.eventStarted(t0);
    CurtailmentEvent event =
        grid.createCurtailmentEvent(
            CreateCurtailmentEventRequest.newBuilder()
                .setSiteId(SITE)
                .setRequestId(UUID.randomUUID().toString())
                .setReduceByKw(siteKw * reducePercent / 100.0)
                .setResponseTimeS(600)
                .setEndAt(timestamp(now + Duration.ofMinutes(30).toMillis()))
                .setProgram("fleet-load")
                .build());
    double createMs = (System.nanoTime() - t0) / 1e6;
    String eventId = event.getEventId();
    // Done when every rig the controller commanded has acked (client side) and no ack came for 1 s.
    int[] commanded = {-1};
    int[] commandedBefore = {-2};
    long[] statusAt = {System.nanoTime() - 2_000_000_000L};
    await(
        () -> {
          // GetEventStatus counts the site's rigs holding the event's command (one pass over
          // 100,000 rigs), so ask it at most once a second; the acks are counted here, every 20 ms.
          if (System.nanoTime() - statusAt[0] > 1_000_000_000L) {
            commandedBefore[0] = commanded[0];
            commanded[0] = status(eventId).getRigsCurtailed();
            statusAt[0] = System.nanoTime();
          }
          long last = probe.lastCurtailAckNanos.get();
          // The same count twice, a second apart: a read taken while the runner was still
          // sending (a loaded machine can stall it for over a second) is not the final count.
          return commanded[0] > 0
              && commanded[0] == commandedBefore[0]
              && probe.curtailAcks.get() >= commanded[0]
              && System.nanoTime() - last > 1_000_000_000L;
        },
        timeout);
    LatencyStats perAgent = probe.eventLatencies();
    double allClientMs = perAgent.quantileMs(1.0);
    // The controller's view: every command it holds for this event should be acknowledged.
    int[] missed = {0};
    awaitSlowly(
        () -> {
          int unacked = 0;
          for (RigView r : controller.fleet().rigsOfSite(SITE)) {
            HeldCommand c = r.command().orElse(null);
            if (c != null && c.eventId().equals(eventId) && !c.accepted()) {
              unacked++;
            }
          }
          missed[0] = unacked;
          return unacked == 0;
        },
        Duration.ofSeconds(5));
    // Event created -> the simulated rigs' summed power (what a site meter would read) at the
    // target: each rig drops its power one knob latency (from its profile) after its ack.
    double targetKw = status(eventId).getTargetKw();
    double powerAtTargetS = Double.NaN;
    if (await(() -> simulatedSiteW() <= targetKw * 1000, Duration.ofSeconds(120))) {
      powerAtTargetS = (System.nanoTime() - t0) / 1e9;
    }
    // The controller's view: the first instant its measured site power was at the target.
    double targetMetS = Double.NaN;
    if (awaitSlowly(() -> status(eventId).hasTargetMetAt(), Duration.ofSeconds(60))) {
      EventStatus s = status(eventId);
      targetMetS = seconds(s.getTargetMetAt()) - seconds(s.getEvent().getCreatedAt());
    }
    probe.eventEnded();
    grid.cancelCurtailmentEvent(
        CancelCurtailmentEventRequest.newBuilder().setEventId(eventId).build());
    sleep(Duration.ofSeconds(5)); // releases are spread over 3 s; let them and their acks pass
    // Released rigs ramp back after their knob latency; the next event needs the full site, and
    // the controller must have seen it (a rig still ramping back when planned is a rebound the
    // closed loop only corrects one knob latency later).
    await(() -> agents.stream().allMatch(SimAgent::settled), Duration.ofSeconds(90));
    sleep(Duration.ofSeconds(3));
    return new Dispatch(
        agents.size(),
        commanded[0],
        perAgent.summary(),
        allClientMs,
        missed[0],
        targetMetS,
        createMs,
        powerAtTargetS,
        siteKw,
        targetKw);
  }

  private double simulatedSiteW() {
    double w = 0;
    for (SimAgent a : agents) {
      w += a.powerW();
    }
    return w;
  }

  private EventStatus status(String eventId) {
    return grid.getEventStatus(GetEventStatusRequest.newBuilder().setEventId(eventId).build());
  }

  private boolean await(BooleanSupplier done, Duration timeout) {
    long until = Math.min(System.nanoTime() + timeout.toNanos(), deadlineNanos);
    while (System.nanoTime() < until) {
      if (done.getAsBoolean()) {
        return true;
      }
      sleep(Duration.ofMillis(20));
    }
    return done.getAsBoolean();
  }

  /** As {@link #await} for conditions that cost the controller work: checked once a second. */
  private boolean awaitSlowly(BooleanSupplier done, Duration timeout) {
    long until = Math.min(System.nanoTime() + timeout.toNanos(), deadlineNanos);
    while (System.nanoTime() < until) {
      if (done.getAsBoolean()) {
        return true;
      }
      sleep(Duration.ofSeconds(1));
    }
    return done.getAsBoolean();
  }

  private void sleep(Duration d) {
    long left = Math.min(d.toNanos(), deadlineNanos - System.nanoTime());
    if (left > 0) {
      try {
        Thread.sleep(Duration.ofNanos(left));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }

  boolean timeLeft() {
    return System.nanoTime() < deadlineNanos;
  }

  @Override
  public void close() {
    timer.shutdownNow();
    probe.mode(SimAgent.Mode.IDLE);
    for (ManagedChannel c : channels) {
      c.shutdownNow();
    }
    gridChannel.shutdownNow();
    controller.close();
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not delete " + dir + ": " + e);
    }
  }

  private static Timestamp timestamp(long ms) {
    return Timestamp.newBuilder()
        .setSeconds(ms / 1000)
        .setNanos((int) (ms % 1000) * 1_000_000)
        .build();
  }

  private static double seconds(Timestamp t) {
    return t.getSeconds() + t.getNanos() / 1e9;
  }

  private static String memory() {
    Runtime rt = Runtime.getRuntime();
    System.gc();
    long heap = rt.totalMemory() - rt.freeMemory();
    long rssKib = 0;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          rssKib = Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      // not Linux: heap only
    }
    return String.format(
        Locale.ROOT, "heap used %d MiB, process RSS %d MiB", heap >> 20, rssKib >> 10);
  }

  public static void main(String[] args) throws Exception {
    int[] agentCounts = {1_000, 10_000};
    int ingestAgents = 1_000;
    int[] batches = {10, 30, 60};
    int ingestSeconds = 15;
    int window = 2;
    int events = 3;
    int reduce = 50;
    int intervalMs = 1000;
    int channelCount = 8;
    int maxSeconds = 900;
    int eventTimeoutS = 240;
    int settleS = 0;
    int readings = 6;
    boolean doIngest = true;
    boolean doDispatch = true;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--agents" -> agentCounts = ints(args[++i]);
        case "--ingest-agents" -> ingestAgents = Integer.parseInt(args[++i]);
        case "--batches" -> batches = ints(args[++i]);
        case "--ingest-seconds" -> ingestSeconds = Integer.parseInt(args[++i]);
        case "--window" -> window = Integer.parseInt(args[++i]);
        case "--events" -> events = Integer.parseInt(args[++i]);
        case "--reduce" -> reduce = Integer.parseInt(args[++i]);
        case "--interval-ms" -> intervalMs = Integer.parseInt(args[++i]);
        case "--channels" -> channelCount = Integer.parseInt(args[++i]);
        case "--max-seconds" -> maxSeconds = Integer.parseInt(args[++i]);
        case "--event-timeout-s" -> eventTimeoutS = Integer.parseInt(args[++i]);
        case "--settle-s" -> settleS = Integer.parseInt(args[++i]);
        case "--readings" -> readings = Integer.parseInt(args[++i]);
        case "--skip-ingest" -> doIngest = false;
        case "--skip-dispatch" -> doDispatch = false;
        default -> {
          System.err.println("unknown argument " + a + " (see the FleetLoad Javadoc)");
          System.exit(64);
        }
      }
    }
    Machine.print("FleetLoad (simulated agents -> real FleetController on loopback, SQLite)");
    System.out.printf(
        Locale.ROOT,
        "settings: channels=%d, ingest agents=%d batches=%s window=%d %d s; dispatch agents=%s"
            + " events=%d reduce=%d%% interval=%d ms; readings per sample %d; stops after %d s%n",
        channelCount,
        ingestAgents,
        Arrays.toString(batches),
        window,
        ingestSeconds,
        Arrays.toString(agentCounts),
        events,
        reduce,
        intervalMs,
        readings,
        maxSeconds);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
    if (doIngest) {
      try (FleetLoad run = new FleetLoad(ingestAgents, channelCount, deadline, readings, 1)) {
        double connectS = run.connectAll();
        System.out.printf(
            Locale.ROOT,
            "ingest: %d agents connected in %.1f s; %s%n",
            ingestAgents,
            connectS,
            memory());
        for (int batch : batches) {
          if (!run.timeLeft()) {
            break;
          }
          Ingest r =
              run.ingest(batch, window, Duration.ofSeconds(3), Duration.ofSeconds(ingestSeconds));
          System.out.printf(
              Locale.ROOT,
              "ingest: agents=%d batch=%d window=%d -> %,.0f samples/s acked over %.1f s;"
                  + " ack lag %s; stream failures %d; load average %s%n"
                  + "ingest:   CPU per sample (thread CPU time, independent of other load): %s%n",
              r.agents(),
              r.batch(),
              r.window(),
              r.samplesPerSecond(),
              r.seconds(),
              r.ackLag(),
              r.failures(),
              Machine.loadAverage(),
              r.cpuPerSample());
        }
      }
    }
    if (doDispatch) {
      for (int n : agentCounts) {
        if (System.nanoTime() >= deadline) {
          System.out.println("dispatch: out of time before " + n + " agents");
          break;
        }
        try (FleetLoad run = new FleetLoad(n, channelCount, deadline, readings, 1)) {
          double connectS = run.connectAll();
          System.out.printf(
              Locale.ROOT, "dispatch: %d agents connected in %.1f s; %s%n", n, connectS, memory());
          // Lets the store writer finish the registrations of the hellos before telemetry starts.
          run.sleep(Duration.ofSeconds(settleS));
          run.periodic(Duration.ofMillis(intervalMs));
          run.sleep(Duration.ofMillis(3L * intervalMs + 1000));
          System.out.printf(
              Locale.ROOT,
              "dispatch: %d agents after warm-up: %d streams failed%s%n",
              n,
              run.probe.streamFailures.get(),
              run.probe.streamFailures.get() == 0
                  ? ""
                  : " (first: " + run.probe.firstFailure.get() + ")");
          for (int e = 0; e < events && run.timeLeft(); e++) {
            Dispatch d = run.dispatch(reduce, Duration.ofSeconds(eventTimeoutS));
            System.out.printf(
                Locale.ROOT,
                "dispatch: agents=%d event %d: commanded %d; create->agent ack %s;"
                    + " all acked %.0f ms; acks the controller did not record %d;"
                    + " create rpc %.0f ms; event->site power at target %.1f s (simulated"
                    + " rigs' sum), %.1f s (controller's measured, %.0f -> %.0f kW);"
                    + " ticks skipped %d; stream failures %d%n",
                d.agents(),
                e + 1,
                d.commanded(),
                d.perAgent(),
                d.allAckedClientMs(),
                d.missedAcksOnController(),
                d.createRpcMs(),
                d.powerAtTargetS(),
                d.targetMetS(),
                d.siteKw(),
                d.targetKw(),
                run.probe.ticksSkipped.get(),
                run.probe.streamFailures.get());
            if (!run.probe.failuresByStatus.isEmpty()) {
              System.out.println(
                  "dispatch: failed streams by status: " + run.probe.failuresByStatus);
            }
          }
        } catch (RuntimeException | OutOfMemoryError e) {
          System.out.println("dispatch: " + n + " agents failed: " + e);
        }
      }
    }
    System.out.println("done");
    System.exit(0);
  }

  private static int[] ints(String csv) {
    return Arrays.stream(csv.split(",")).map(String::strip).mapToInt(Integer::parseInt).toArray();
  }
}
