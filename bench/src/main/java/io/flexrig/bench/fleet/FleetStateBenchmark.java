package io.flexrig.bench.fleet;

import io.flexrig.bench.Machine;
import io.flexrig.controller.dispatch.Setpoint;
import io.flexrig.controller.fleet.FleetState;
import io.flexrig.controller.fleet.HeldCommand;
import io.flexrig.controller.fleet.RigActivity;
import io.flexrig.controller.fleet.RigCapability;
import io.flexrig.controller.fleet.RigNameplate;
import io.flexrig.controller.fleet.RigRegistration;
import io.flexrig.controller.fleet.RigSample;
import io.flexrig.controller.fleet.RigView;
import io.flexrig.controller.fleet.SiteLoad;
import io.flexrig.core.profile.CurtailmentMethodKind;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The reads the event runner and {@code GetEventStatus} make of {@link FleetState} for one site of
 * {@code rigs} rigs, every one with a fresh sample and a third holding a command: the site's load
 * (per status call and per event start), the rigs' views (once per plan), and the telemetry write
 * that keeps the index and the running sum up to date.
 *
 * <pre>
 * java -jar bench/target/flexrig-benchmarks.jar FleetStateBenchmark -p rigs=100000
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx4g", "-XX:+UseParallelGC"})
public class FleetStateBenchmark {

  private static final String SITE = "site-1";

  @Param({"10000", "100000"})
  public int rigs;

  private FleetState fleet;
  private String[] ids;
  private long sequence;
  private int next;

  @Setup(Level.Trial)
  public void buildFleet() {
    Machine.print("FleetStateBenchmark rigs=" + rigs);
    // A clock that stands still keeps every sample fresh for the whole run.
    Instant now = Instant.parse("2026-11-25T10:00:00Z");
    fleet = new FleetState(Clock.fixed(now, java.time.ZoneOffset.UTC));
    ids = new String[rigs];
    for (int i = 0; i < rigs; i++) {
      String id = String.format("rig-%06d", i);
      ids[i] = id;
      fleet.connected(
          new RigRegistration(
              id,
              SITE,
              "antminer-s19j-pro",
              "0.1.0",
              List.of(new RigCapability(CurtailmentMethodKind.POWER_TARGET, 2000, 3300, 1)),
              new RigNameplate(3250, 104, 30, 20, 100)));
      fleet.recordSample(id, sample(1, now));
      if (i % 3 == 0) {
        fleet.holdCommand(id, new HeldCommand("cmd-" + i, "ev-1", new Setpoint.Sleep(), now));
      }
    }
    sequence = 1;
  }

  private static RigSample sample(long seq, Instant at) {
    return new RigSample(
        seq, at, 3000 + seq % 100, true, "GOOD", 100, 70, 60, RigActivity.RUNNING, 0, at);
  }

  @Benchmark
  public SiteLoad siteLoad() {
    return fleet.siteLoad(SITE);
  }

  @Benchmark
  public List<RigView> rigsOfSite() {
    return fleet.rigsOfSite(SITE);
  }

  @Benchmark
  public double estimatedW() {
    return fleet.estimatedW(SITE);
  }

  @Benchmark
  public int rigsHoldingCommandOf() {
    return fleet.rigsHoldingCommandOf(SITE, "ev-1");
  }

  /** One telemetry sample recorded: the per-sample cost of keeping the sum and index exact. */
  @Benchmark
  public void recordSample() {
    int i = next;
    next = i + 1 == rigs ? 0 : i + 1;
    if (i == 0) {
      sequence++;
    }
    fleet.recordSample(ids[i], sample(sequence, Instant.EPOCH));
  }
}
