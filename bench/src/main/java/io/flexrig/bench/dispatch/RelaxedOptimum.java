package io.flexrig.bench.dispatch;

import io.flexrig.controller.dispatch.DispatchRig;
import io.flexrig.controller.dispatch.KnobRange;
import io.flexrig.core.profile.CurvePoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The least revenue any plan can give up to shed a given power, when every rig may stop anywhere
 * between its measured power and its lowest reachable power (sleep included) — the continuous
 * relaxation of the dispatch problem, solved as a fractional knapsack.
 *
 * <p>Each rig's revenue as a function of its power is its curve down to its power-target floor,
 * then a straight line to zero revenue at its sleep power (sleep relaxed to "partly asleep"). The
 * upper concave envelope of that function splits it into segments whose revenue per watt rises as
 * the power falls, so taking the cheapest segments of all rigs first is feasible for every rig and
 * optimal for the relaxation. No plan of the real problem (whole sleeps, knob floors) can give up
 * less, so this is a lower bound on the dispatcher's lost margin for the same shed power.
 *
 * <p>Independent of {@code Dispatcher}: it shares only its input records.
 */
public final class RelaxedOptimum {

  /** A slice of one rig's power range and the revenue it earns per watt. */
  record Segment(double widthW, double revenuePerW) {}

  private final Segment[] segments;
  private final double sheddableW;

  private RelaxedOptimum(List<Segment> segments) {
    this.segments = segments.toArray(Segment[]::new);
    Arrays.sort(this.segments, (a, b) -> Double.compare(a.revenuePerW, b.revenuePerW));
    double sum = 0;
    for (Segment s : this.segments) {
      sum += s.widthW;
    }
    this.sheddableW = sum;
  }

  /** The relaxation over every rig of the fleet that has fresh telemetry. */
  public static RelaxedOptimum of(MixedFleet fleet) {
    List<Segment> all = new ArrayList<>();
    for (MixedFleet.Rig rig : fleet.rigs()) {
      all.addAll(segments(rig));
    }
    return new RelaxedOptimum(all);
  }

  /** Most power the fleet can shed (every rig at its lowest reachable power). */
  public double sheddableW() {
    return sheddableW;
  }

  /**
   * Least revenue given up, USD per hour, to shed {@code shedW} watts.
   *
   * @throws IllegalArgumentException when the fleet cannot shed that much
   */
  public double revenueLostUsdPerHour(double shedW) {
    if (shedW > sheddableW * (1 + 1e-12)) {
      throw new IllegalArgumentException(
          "cannot shed " + shedW + " W, at most " + sheddableW + " W");
    }
    double left = shedW;
    double lost = 0;
    for (Segment s : segments) {
      if (left <= 0) {
        break;
      }
      double take = Math.min(left, s.widthW);
      lost += take * s.revenuePerW;
      left -= take;
    }
    return lost;
  }

  /** Least lost margin, USD per hour: revenue given up minus the energy cost saved. */
  public double lostMarginUsdPerHour(double shedW, double usdPerKwh) {
    return revenueLostUsdPerHour(shedW) - shedW / 1000 * usdPerKwh;
  }

  static List<Segment> segments(MixedFleet.Rig rig) {
    DispatchRig in = rig.dispatch();
    if (in.measuredPowerW().isEmpty()) {
      return List.of();
    }
    double top = rig.measuredW();
    // (power, revenue) points of the reachable range, ascending in power.
    List<double[]> points = new ArrayList<>();
    if (in.sleep().isPresent() && in.sleepPowerW() < top) {
      points.add(new double[] {in.sleepPowerW(), 0});
    }
    if (in.powerTarget().isPresent()) {
      KnobRange knob = in.powerTarget().get();
      double floor = Math.max(knob.minPowerW(), rig.profile().powerCurve().minPowerW());
      if (floor < top) {
        points.add(new double[] {floor, rig.revenueUsdPerHour(floor)});
        for (CurvePoint p : rig.profile().powerCurve().points()) {
          if (p.powerW() > floor && p.powerW() < top) {
            points.add(new double[] {p.powerW(), rig.revenueUsdPerHour(p.powerW())});
          }
        }
      }
    }
    if (points.isEmpty()) {
      return List.of();
    }
    points.add(new double[] {top, rig.revenueUsdPerHour(top)});
    // Upper concave envelope (monotone chain), ascending in power.
    List<double[]> hull = new ArrayList<>();
    for (double[] p : points) {
      while (hull.size() >= 2 && !turnsRight(hull.get(hull.size() - 2), hull.getLast(), p)) {
        hull.removeLast();
      }
      hull.add(p);
    }
    List<Segment> out = new ArrayList<>();
    for (int i = 1; i < hull.size(); i++) {
      double[] lo = hull.get(i - 1);
      double[] hi = hull.get(i);
      double width = hi[0] - lo[0];
      if (width > 0) {
        out.add(new Segment(width, (hi[1] - lo[1]) / width));
      }
    }
    return out;
  }

  // True when a -> b -> c bends downwards (slope falls), i.e. b stays on the upper envelope.
  private static boolean turnsRight(double[] a, double[] b, double[] c) {
    double cross = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
    return cross < 0;
  }
}
