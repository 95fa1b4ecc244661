package io.flexrig.core.economics;

import io.flexrig.core.profile.HardwareProfile;

/**
 * The power price at which a rig's mining revenue just pays for its electricity: above it the rig
 * mines at a loss and should be curtailed (or switched to other work).
 *
 * @param profileId the rig model
 * @param powerW wall power at the operating point
 * @param hashrateThs hashrate at that power
 * @param usdPerKwh break-even power price in USD per kWh
 */
public record BreakEvenPowerPrice(
    String profileId, double powerW, double hashrateThs, double usdPerKwh) {

  /** Break-even price of any machine: daily revenue divided by daily energy. */
  public static double breakEvenUsdPerKwh(Hashprice hashprice, double hashrateThs, double powerW) {
    if (!(powerW > 0)) {
      throw new IllegalArgumentException("power must be positive, got " + powerW);
    }
    return hashprice.dailyRevenueUsd(hashrateThs) / (powerW / 1000 * 24);
  }

  /** At the vendor's stock setting (nameplate power and hashrate). */
  public static BreakEvenPowerPrice atNameplate(HardwareProfile profile, Hashprice hashprice) {
    requireMiner(profile);
    double power = profile.nameplate().powerW();
    double ths = profile.nameplate().hashrateThs();
    return new BreakEvenPowerPrice(
        profile.id(), power, ths, breakEvenUsdPerKwh(hashprice, ths, power));
  }

  /**
   * At a point of the rig's power curve, e.g. a reduced power target: miners are more efficient
   * when underclocked, so their break-even price rises as power falls.
   *
   * @throws IllegalArgumentException if the power is off the curve
   */
  public static BreakEvenPowerPrice atPower(
      HardwareProfile profile, Hashprice hashprice, double powerW) {
    requireMiner(profile);
    var curve = profile.powerCurve();
    if (powerW < curve.minPowerW() || powerW > curve.maxPowerW()) {
      throw new IllegalArgumentException(
          powerW
              + " W is off the power curve of "
              + profile.id()
              + " ("
              + curve.minPowerW()
              + ".."
              + curve.maxPowerW()
              + " W)");
    }
    double ths = curve.outputAt(powerW);
    return new BreakEvenPowerPrice(
        profile.id(), powerW, ths, breakEvenUsdPerKwh(hashprice, ths, powerW));
  }

  private static void requireMiner(HardwareProfile profile) {
    if (!"TH/s".equals(profile.powerCurve().outputUnit())) {
      throw new IllegalArgumentException(
          profile.id() + " does not mine: its output is " + profile.powerCurve().outputUnit());
    }
  }

  /** Efficiency at this operating point in J/TH. */
  public double joulesPerTh() {
    return powerW / hashrateThs;
  }

  /** Mining margin per day at a given power price; negative when mining loses money. */
  public double dailyMarginUsd(double powerPriceUsdPerKwh) {
    return (usdPerKwh - powerPriceUsdPerKwh) * powerW / 1000 * 24;
  }
}
