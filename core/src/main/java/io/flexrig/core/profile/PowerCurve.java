package io.flexrig.core.profile;

import java.util.List;

/**
 * Output as a function of wall power, piecewise linear between measured points sorted by power. For
 * miners the output is hashrate in TH/s; for GPU machines it is relative throughput (1.0 at the
 * stock power limit).
 *
 * @param outputUnit {@code TH/s} or {@code relative}
 * @param points at least two points, strictly increasing in power and non-decreasing in output
 */
public record PowerCurve(String outputUnit, List<CurvePoint> points) {

  public PowerCurve {
    points = List.copyOf(points);
    if (points.size() < 2) {
      throw new IllegalArgumentException("a power curve needs at least two points");
    }
  }

  /** Output at the given wall power; 0 below the first point, flat above the last. */
  public double outputAt(double powerW) {
    CurvePoint first = points.getFirst();
    if (powerW < first.powerW()) {
      return 0;
    }
    for (int i = 1; i < points.size(); i++) {
      CurvePoint lo = points.get(i - 1);
      CurvePoint hi = points.get(i);
      if (powerW <= hi.powerW()) {
        double f = (powerW - lo.powerW()) / (hi.powerW() - lo.powerW());
        return lo.output() + f * (hi.output() - lo.output());
      }
    }
    return points.getLast().output();
  }

  /** Lowest power on the curve: below it the rig cannot run its workload. */
  public double minPowerW() {
    return points.getFirst().powerW();
  }

  /** Highest power on the curve. */
  public double maxPowerW() {
    return points.getLast().powerW();
  }
}
