package io.flexrig.bench.dispatch;

import io.flexrig.controller.dispatch.DispatchPlan;
import io.flexrig.controller.dispatch.Setpoint;
import java.util.Map;

/**
 * What a dispatch plan gives up, valued with each rig's own curve and economics: the revenue lost
 * (hashrate or AI throughput not sold) and the energy cost saved, per hour.
 *
 * @param shedW power shed once every setpoint is reached, in watts
 * @param revenueLostUsdPerHour revenue given up, USD per hour
 * @param lostMarginUsdPerHour revenue given up minus energy cost saved, USD per hour
 */
public record PlanCost(double shedW, double revenueLostUsdPerHour, double lostMarginUsdPerHour) {

  /** Values a plan of the dispatcher over the fleet it was made for. */
  public static PlanCost of(DispatchPlan plan, MixedFleet fleet, double usdPerKwh) {
    double shed = 0;
    double revenueLost = 0;
    for (Map.Entry<String, Setpoint> e : plan.setpoints().entrySet()) {
      MixedFleet.Rig rig = fleet.rig(e.getKey());
      double from = rig.measuredW();
      double to =
          switch (e.getValue()) {
            case Setpoint.PowerTarget(double w) -> Math.min(from, w);
            case Setpoint.Sleep() -> rig.profile().limits().sleepPowerW();
          };
      double revenueTo = e.getValue() instanceof Setpoint.Sleep ? 0 : rig.revenueUsdPerHour(to);
      shed += from - to;
      revenueLost += rig.revenueUsdPerHour(from) - revenueTo;
    }
    return new PlanCost(shed, revenueLost, revenueLost - shed / 1000 * usdPerKwh);
  }
}
