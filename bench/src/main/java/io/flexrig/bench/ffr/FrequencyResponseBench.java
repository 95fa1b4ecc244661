package io.flexrig.bench.ffr;

import io.flexrig.agent.AgentConfig;
import io.flexrig.agent.RigAgent;
import io.flexrig.agent.control.CommandExecutor;
import io.flexrig.agent.door.AgentApiSettings;
import io.flexrig.agent.sampler.RigSnapshot;
import io.flexrig.agent.source.Quality;
import io.flexrig.bench.Machine;
import io.flexrig.core.profile.CurtailmentMethodKind;
import io.flexrig.core.profile.FrequencyResponse;
import io.flexrig.core.profile.HardwareProfile;
import io.flexrig.core.profile.ProfileLoader;
import io.flexrig.core.profile.SensorSpec;
import io.flexrig.proto.v1.AgentServiceGrpc;
import io.flexrig.proto.v1.ArmFrequencyResponseRequest;
import io.flexrig.proto.v1.CommandAck;
import io.flexrig.sim.SimulatedRig;
import io.flexrig.sim.SimulatedSite;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fast-frequency-response path, end to end over real sockets: the grid frequency is changed at
 * the simulator's OPC UA server (Milo), the agent's subscription delivers it, the agent's
 * FrequencyResponder trips and the executor sets the miner's power target over its cgminer API, and
 * the measured power (the PDU outlet's OPC UA node) falls below the shed target. Each trip times
 * four stages from the write at the server:
 *
 * <ol>
 *   <li><b>delivered</b>: the agent's sampler receives the tripping reading;
 *   <li><b>knob</b>: the simulated miner has received the power target, or is asleep with method
 *       SLEEP (the command is on the rig);
 *   <li><b>rig</b>: the simulated rig's own power (the ground truth a grid meter would see) is at
 *       the target;
 *   <li><b>power</b>: the agent receives a measured outlet power at the target (within the
 *       executor's tolerance, as it verifies commands); includes the simulated ramp of the profile,
 *       compressed by the time scale.
 * </ol>
 *
 * <p>The difference of the first two is the agent's own part: judging the reading, stepping the
 * executor and sending the power target over the miner's API.
 *
 * <p>The frequency is then restored, and the next trip starts once the rig runs at its nameplate
 * power again.
 *
 * <p>{@code java -cp bench/target/flexrig-benchmarks.jar
 * io.flexrig.bench.ffr.FrequencyResponseBench [trips=30] [telemetry-ms=1000] [time-scale=20]}
 */
public final class FrequencyResponseBench {
  private static final double SHED_TO_W = 2000;
  private static final double HOLD_S = 0.2;

  private FrequencyResponseBench() {}

  public static void main(String[] args) throws Exception {
    int trips = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    long telemetryMs = args.length > 1 ? Long.parseLong(args[1]) : 1000;
    double timeScale = args.length > 2 ? Double.parseDouble(args[2]) : 20;
    // POWER_TARGET (ramps along the profile's rate) or SLEEP (the S19 profile's own FFR method)
    CurtailmentMethodKind method =
        args.length > 3
            ? CurtailmentMethodKind.valueOf(args[3].toUpperCase(Locale.ROOT))
            : CurtailmentMethodKind.POWER_TARGET;
    Machine.print("FrequencyResponseBench");
    System.out.printf(
        Locale.ROOT,
        "trips=%d telemetry/subscription interval=%d ms sim time scale=%.0fx method=%s%n",
        trips,
        telemetryMs,
        timeScale,
        method);

    Path profiles = Path.of(System.getProperty("flexrig.profiles.dir", "hardware-profiles"));
    HardwareProfile s19 = ProfileLoader.load(profiles.resolve("antminer-s19j-pro.yaml"));
    HardwareProfile profile = withShed(s19, method);
    double nameplateW = profile.nameplate().powerW();
    double targetW =
        method == CurtailmentMethodKind.SLEEP ? profile.limits().sleepPowerW() : SHED_TO_W;
    double toleranceW = CommandExecutor.tolerance(targetW);

    long[] delivered = new long[trips];
    long[] knob = new long[trips];
    long[] power = new long[trips];
    long[] truth = new long[trips];
    AtomicLong written = new AtomicLong();
    AtomicLong frequencySeen = new AtomicLong();
    AtomicLong powerSeen = new AtomicLong();

    try (SimulatedSite site =
        SimulatedSite.start(
            List.of(new SimulatedSite.RigSpec("rig-1", profile)),
            new SimulatedSite.Settings(false, timeScale))) {
      SimulatedSite.RigEndpoints e = site.endpoints("rig-1");
      RigAgent agent =
          new RigAgent(
              AgentConfig.builder("rig-1", "site-a", profile, "127.0.0.1:1")
                  .opcUaEndpointUrl(site.opcUaEndpointUrl())
                  .sensorAddressOverrides(
                      Map.of(
                          "miner_api", e.cgminerAddress(),
                          "outlet_power", e.outletPowerNode(),
                          "grid_frequency", e.gridFrequencyNode()))
                  .telemetryInterval(Duration.ofMillis(telemetryMs))
                  .agentApi(AgentApiSettings.plaintextLoopback(0))
                  .build());
      // the bench's own listeners beside the agent's, on the same delivery threads
      agent
          .sampler()
          .onReading(
              RigSnapshot.GRID_FREQUENCY,
              r -> {
                if (r.quality() == Quality.GOOD
                    && r.value() < profile.frequencyResponse().tripHz()
                    && written.get() != 0) {
                  frequencySeen.compareAndSet(0, System.nanoTime());
                }
              });
      agent
          .sampler()
          .onReading(
              "outlet_power",
              r -> {
                if (r.quality() == Quality.GOOD
                    && r.value() <= targetW + toleranceW
                    && frequencySeen.get() != 0) {
                  powerSeen.compareAndSet(0, System.nanoTime());
                }
              });
      agent.start();
      SimulatedRig rig = site.rig("rig-1");
      ManagedChannel channel =
          ManagedChannelBuilder.forTarget("127.0.0.1:" + agent.agentApiPort())
              .usePlaintext()
              .build();
      try {
        CommandAck ack =
            AgentServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .armFrequencyResponse(
                    ArmFrequencyResponseRequest.newBuilder()
                        .setCommandId("arm-bench")
                        .setProgram("ERCOT-FFR")
                        .build());
        System.out.println("armed through AgentService: " + ack.getReason());
        waitUntil(() -> rig.powerW() >= nameplateW - 50, 60_000, "rig at nameplate");
        waitUntil(
            () -> agent.latestSnapshot().gridFrequencyHz().valueOr(0) > 59.9,
            30_000,
            "frequency reading");

        for (int i = 0; i < trips; i++) {
          frequencySeen.set(0);
          powerSeen.set(0);
          long t0 = System.nanoTime();
          written.set(t0);
          site.setGridFrequencyHz(59.80);
          waitUntil(() -> frequencySeen.get() != 0, 10_000, "frequency delivered");
          waitUntil(
              () ->
                  method == CurtailmentMethodKind.SLEEP
                      ? rig.isSleeping()
                      : rig.powerTargetW() <= SHED_TO_W,
              10_000,
              "knob");
          long tKnob = System.nanoTime();
          waitUntil(() -> rig.powerW() <= targetW + toleranceW, 60_000, "rig power below target");
          long tTruth = System.nanoTime();
          waitUntil(() -> powerSeen.get() != 0, 60_000, "measured power below target");
          delivered[i] = frequencySeen.get() - t0;
          knob[i] = tKnob - t0;
          truth[i] = tTruth - t0;
          power[i] = powerSeen.get() - t0;
          written.set(0);
          site.setGridFrequencyHz(60.0);
          // after SLEEP the agent keeps the rig down for the profile's min_off_s (PSU cycling)
          waitUntil(
              () -> !rig.isSleeping() && rig.powerTargetW() >= nameplateW,
              30_000 + Math.round(profile.limits().minOffS() * 1000),
              "restored target");
          waitUntil(() -> rig.powerW() >= nameplateW - 50, 60_000, "restored power");
          // a quiet moment so the next trip starts from a settled subscription
          Thread.sleep(Math.max(200, telemetryMs));
        }
      } finally {
        channel.shutdownNow();
        agent.close();
      }
    }
    System.out.println("load average after: " + Machine.loadAverage());
    System.out.println(
        "stage (from the write at the OPC UA server)       p50 ms   p99 ms   max ms");
    row("frequency delivered to the agent", delivered);
    row("knob invoked (power target on the miner)", knob);
    row("rig's power below target in the simulator", truth);
    row("agent measures it (outlet power, 1 s publish)", power);
    long[] agentPart = new long[trips];
    for (int i = 0; i < trips; i++) {
      agentPart[i] = knob[i] - delivered[i];
    }
    row("of which in the agent: reading -> knob on the rig", agentPart);
  }

  /** The S19j Pro's response shedding by power target, with a short hold so trips repeat fast. */
  private static HardwareProfile withShed(HardwareProfile s19, CurtailmentMethodKind method) {
    FrequencyResponse fr = s19.frequencyResponse();
    return new HardwareProfile(
        s19.id(),
        s19.vendor(),
        s19.model(),
        s19.kind(),
        s19.nameplate(),
        s19.powerCurve(),
        s19.limits(),
        s19.thermal(),
        List.of(
            new SensorSpec("miner_api", "cgminer://127.0.0.1:4028", Map.of()),
            new SensorSpec(
                "outlet_power", "opcua:nsu=urn:flexrig:sim;s=PDU.Outlet01.ActivePowerW", Map.of()),
            new SensorSpec(
                "grid_frequency", "opcua:nsu=urn:flexrig:sim;s=Site.Meter.FrequencyHz", Map.of())),
        s19.workloads(),
        s19.curtailment(),
        s19.source(),
        new FrequencyResponse(
            fr.nominalHz(),
            fr.tripHz(),
            fr.ufrTripHz(),
            method,
            method == CurtailmentMethodKind.SLEEP ? s19.limits().sleepPowerW() : SHED_TO_W,
            HOLD_S,
            fr.recoverHz()));
  }

  private static void row(String stage, long[] nanos) {
    long[] s = Arrays.copyOf(nanos, nanos.length);
    Arrays.sort(s);
    System.out.printf(
        Locale.ROOT,
        "%-48s %8.1f %8.1f %8.1f%n",
        stage,
        quantile(s, 0.5),
        quantile(s, 0.99),
        s[s.length - 1] / 1e6);
  }

  private static double quantile(long[] sorted, double q) {
    int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
    return sorted[i] / 1e6;
  }

  private interface Condition {
    boolean holds();
  }

  private static void waitUntil(Condition c, long timeoutMs, String what)
      throws InterruptedException {
    long end = System.nanoTime() + timeoutMs * 1_000_000;
    while (!c.holds()) {
      if (System.nanoTime() > end) {
        throw new IllegalStateException("timed out waiting for " + what);
      }
      // 0.2 ms polling: a resolution far below the stages measured
      Thread.sleep(0, 200_000);
    }
  }
}
