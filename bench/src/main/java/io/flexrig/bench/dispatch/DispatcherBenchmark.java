package io.flexrig.bench.dispatch;

import io.flexrig.bench.Machine;
import io.flexrig.controller.dispatch.DispatchPlan;
import io.flexrig.controller.dispatch.DispatchRig;
import io.flexrig.controller.dispatch.Dispatcher;
import java.time.Duration;
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
 * Planning time of the controller's {@link Dispatcher} for one site of mixed models, from the first
 * dispatch of an event (no setpoints held yet): reduce the site by a share of its load with ten
 * minutes to the deadline (every knob usable).
 *
 * <pre>
 * java -jar bench/target/flexrig-benchmarks.jar DispatcherBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx4g", "-XX:+UseParallelGC"})
public class DispatcherBenchmark {

  @Param({"1000", "10000", "100000"})
  public int rigs;

  /** Share of the site's load to shed, in percent. */
  @Param({"20", "50"})
  public int reducePercent;

  private final Dispatcher dispatcher = new Dispatcher();
  private List<DispatchRig> inputs;
  private double measuredW;
  private double targetW;

  @Setup(Level.Trial)
  public void buildFleet() {
    Machine.print("DispatcherBenchmark rigs=" + rigs + " reduce=" + reducePercent + "%");
    MixedFleet fleet = MixedFleet.generate(rigs, 42);
    inputs = fleet.dispatchRigs();
    measuredW = fleet.measuredW();
    targetW = measuredW * (1 - reducePercent / 100.0);
  }

  @Benchmark
  public DispatchPlan plan() {
    return dispatcher.plan(targetW, measuredW, Duration.ofMinutes(10), inputs);
  }
}
