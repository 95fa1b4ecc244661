package io.flexrig.controller.dispatch;

import io.flexrig.core.economics.RigEconomics;
import io.flexrig.core.profile.CurvePoint;
import java.util.Arrays;
import java.util.List;

/**
 * What a rig earns per hour as a function of its input power: piecewise linear between points of
 * its power curve, nothing below the first point (the workload cannot run there), flat above the
 * last. The dispatcher's merit order compares rigs by the revenue each watt shed gives up; at one
 * site every watt costs the same, so that order is also the order of margin lost per kW shed.
 */
public final class RevenueCurve {

  private final double[] powersW;
  private final double[] usdPerHour;

  private RevenueCurve(double[] powersW, double[] usdPerHour) {
    if (powersW.length < 1 || powersW.length != usdPerHour.length) {
      throw new IllegalArgumentException("a revenue curve needs matching, non-empty points");
    }
    for (int i = 0; i < powersW.length; i++) {
      if (!(powersW[i] >= 0) || !(usdPerHour[i] >= 0) || Double.isInfinite(usdPerHour[i])) {
        throw new IllegalArgumentException(
            "revenue curve point " + i + " must be finite and >= 0: " + powersW[i] + " W");
      }
      if (i > 0 && !(powersW[i] > powersW[i - 1])) {
        throw new IllegalArgumentException("revenue curve powers must strictly increase");
      }
    }
    this.powersW = powersW;
    this.usdPerHour = usdPerHour;
  }

  /**
   * A curve through the given points.
   *
   * @param powersW strictly increasing powers, in watts
   * @param usdPerHour revenue at each power, USD per hour
   */
  public static RevenueCurve of(double[] powersW, double[] usdPerHour) {
    return new RevenueCurve(powersW.clone(), usdPerHour.clone());
  }

  /** The revenue of a rig along its hardware profile's power curve. */
  public static RevenueCurve of(RigEconomics economics) {
    List<CurvePoint> points = economics.profile().powerCurve().points();
    double[] w = new double[points.size()];
    double[] usd = new double[points.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = points.get(i).powerW();
      usd[i] = economics.revenueUsdPerHour(w[i]);
    }
    return new RevenueCurve(w, usd);
  }

  /**
   * Revenue proportional to power: what the dispatcher assumes for a rig whose economics it does
   * not know.
   */
  public static RevenueCurve proportional(double usdPerKwh, double upToW) {
    if (!(upToW > 0) || !(usdPerKwh >= 0)) {
      throw new IllegalArgumentException("needs a positive power and a rate >= 0");
    }
    return new RevenueCurve(new double[] {0, upToW}, new double[] {0, usdPerKwh * upToW / 1000});
  }

  /** Revenue at {@code powerW}, USD per hour. */
  public double usdPerHourAt(double powerW) {
    if (powerW < powersW[0]) {
      return 0;
    }
    int n = powersW.length;
    if (powerW >= powersW[n - 1]) {
      return usdPerHour[n - 1];
    }
    int hi = Arrays.binarySearch(powersW, powerW);
    if (hi >= 0) {
      return usdPerHour[hi];
    }
    hi = -hi - 1;
    int lo = hi - 1;
    double f = (powerW - powersW[lo]) / (powersW[hi] - powersW[lo]);
    return usdPerHour[lo] + f * (usdPerHour[hi] - usdPerHour[lo]);
  }

  /** Number of points. */
  public int size() {
    return powersW.length;
  }

  /** Power of point {@code i}, in watts (ascending). */
  public double powerW(int i) {
    return powersW[i];
  }

  @Override
  public String toString() {
    return "RevenueCurve[" + powersW[0] + ".." + powersW[powersW.length - 1] + " W]";
  }
}
