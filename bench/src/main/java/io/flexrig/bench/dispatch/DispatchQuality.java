package io.flexrig.bench.dispatch;

import io.flexrig.bench.Machine;
import io.flexrig.controller.dispatch.DispatchPlan;
import io.flexrig.controller.dispatch.Dispatcher;
import java.time.Duration;
import java.util.Locale;

/**
 * Prints, for mixed fleets of 1,000 to 100,000 rigs, how much the dispatcher's plan gives up
 * against the optimum of the continuous relaxation ({@link RelaxedOptimum}) for the same power
 * shed, and a rough single-shot planning time (JMH's {@link DispatcherBenchmark} is the precise
 * one).
 *
 * <pre>
 * java -cp bench/target/flexrig-benchmarks.jar io.flexrig.bench.dispatch.DispatchQuality [SIZES...]
 * </pre>
 */
public final class DispatchQuality {

  private DispatchQuality() {}

  /** One row of the comparison. */
  public record Row(
      int rigs,
      int reducePercent,
      int setpoints,
      double shedKw,
      double dispatcherRevenueLost,
      double optimumRevenueLost,
      double dispatcherLostMargin,
      double optimumLostMargin,
      double planMs) {

    /** Extra revenue the dispatcher gives up, as a share of the optimum's (0.05 = 5 %). */
    public double gap() {
      return dispatcherRevenueLost / optimumRevenueLost - 1;
    }
  }

  /** Plans one event on a fresh fleet and values it against the relaxation. */
  public static Row measure(int rigs, int reducePercent, long seed) {
    MixedFleet fleet = MixedFleet.generate(rigs, seed);
    double target = fleet.measuredW() * (1 - reducePercent / 100.0);
    Dispatcher dispatcher = new Dispatcher();
    long t0 = System.nanoTime();
    DispatchPlan plan =
        dispatcher.plan(target, fleet.measuredW(), Duration.ofMinutes(10), fleet.dispatchRigs());
    double ms = (System.nanoTime() - t0) / 1e6;
    PlanCost cost = PlanCost.of(plan, fleet, MixedFleet.POWER_PRICE_USD_PER_KWH);
    RelaxedOptimum relaxed = RelaxedOptimum.of(fleet);
    double optimumRevenue = relaxed.revenueLostUsdPerHour(cost.shedW());
    return new Row(
        rigs,
        reducePercent,
        plan.setpoints().size(),
        cost.shedW() / 1000,
        cost.revenueLostUsdPerHour(),
        optimumRevenue,
        cost.lostMarginUsdPerHour(),
        relaxed.lostMarginUsdPerHour(cost.shedW(), MixedFleet.POWER_PRICE_USD_PER_KWH),
        ms);
  }

  public static void main(String[] args) {
    Machine.print("DispatchQuality (dispatcher vs continuous relaxation)");
    int[] sizes =
        args.length == 0
            ? new int[] {1_000, 10_000, 100_000}
            : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
    System.out.printf(
        Locale.ROOT,
        "power price %.3f USD/kWh; hashprice from seeds (latest); fleet mix %s%n",
        MixedFleet.POWER_PRICE_USD_PER_KWH,
        MixedFleet.MIX);
    System.out.println(
        "rigs    reduce  setpoints  shed_kW     revenue_lost_USD/h (disp / opt)  lost_margin_USD/h"
            + " (disp / opt)  gap     plan_ms(1st call)");
    for (int n : sizes) {
      for (int reduce : new int[] {10, 20, 35, 50, 65}) {
        Row r = measure(n, reduce, 42);
        System.out.printf(
            Locale.ROOT,
            "%-7d %4d %%  %9d  %10.1f  %12.2f / %-12.2f  %12.2f / %-12.2f  %6.3f %%  %8.1f%n",
            r.rigs(),
            r.reducePercent(),
            r.setpoints(),
            r.shedKw(),
            r.dispatcherRevenueLost(),
            r.optimumRevenueLost(),
            r.dispatcherLostMargin(),
            r.optimumLostMargin(),
            r.gap() * 100,
            r.planMs());
      }
    }
  }
}
