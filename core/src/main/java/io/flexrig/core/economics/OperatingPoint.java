package io.flexrig.core.economics;

/**
 * A rig's economics at one power level and power price, per hour.
 *
 * @param powerW wall power
 * @param output TH/s for miners, relative throughput (1.0 at stock) for GPU machines; 0 asleep
 * @param revenueUsdPerHour what the work earns
 * @param costUsdPerHour what the power costs: kW times the price
 */
public record OperatingPoint(
    double powerW, double output, double revenueUsdPerHour, double costUsdPerHour) {

  public double marginUsdPerHour() {
    return revenueUsdPerHour - costUsdPerHour;
  }

  public double powerKw() {
    return powerW / 1000;
  }
}
