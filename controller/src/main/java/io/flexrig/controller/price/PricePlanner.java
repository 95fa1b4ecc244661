package io.flexrig.controller.price;

import io.flexrig.core.economics.StrikePrice;
import java.time.Duration;

/**
 * Decides, for one rig at one power price, whether to run, hold a lower power target or sleep:
 * strike-price curtailment without any grid event, and sleep through likely 4CP peaks.
 *
 * <p>Without care a price hovering at a strike price would toggle the rig every interval, so: a
 * move to a deeper state needs the price above the strike by the deadband, a move back needs it
 * below by the deadband; a rig keeps a price-driven state at least the minimum hold time; a rig
 * asleep for less than its minimum off-time stays asleep, and one woken for less than its minimum
 * on-time holds its lowest power target instead of sleeping.
 *
 * <p>Pure: the caller passes the rig's state and clock.
 */
public final class PricePlanner {

  /**
   * One rig as the planner sees it.
   *
   * @param strike the model's strike prices
   * @param heldPowerW the power its price-driven setpoint asks for: the model's nameplate when it
   *     has none, its sleep power when asleep
   * @param asleep whether the rig sleeps on a price-driven setpoint
   * @param minOnS the model's minimum on-time, seconds
   * @param minOffS the model's minimum off-time, seconds
   * @param sinceOnOffS seconds since it last slept or woke (infinite when unknown)
   * @param sinceChangeS seconds since its price-driven setpoint last changed (infinite if never)
   */
  public record Rig(
      StrikePrice strike,
      double heldPowerW,
      boolean asleep,
      double minOnS,
      double minOffS,
      double sinceOnOffS,
      double sinceChangeS) {}

  private final double deadband;
  private final double minHoldS;

  /**
   * @param deadband relative price band around each strike, e.g. 0.05 for 5 %
   * @param minHold shortest time between two price-driven changes of one rig
   */
  public PricePlanner(double deadband, Duration minHold) {
    if (!(deadband >= 0 && deadband < 1)) {
      throw new IllegalArgumentException("deadband must be in [0, 1), got " + deadband);
    }
    this.deadband = deadband;
    this.minHoldS = minHold.toMillis() / 1000.0;
  }

  /** 5 % deadband, 5-minute hold: one real-time price interval. */
  public static PricePlanner standard() {
    return new PricePlanner(0.05, Duration.ofMinutes(5));
  }

  /**
   * The decision at a price.
   *
   * @param usdPerKwh the power price in force now
   * @param peakLikely whether this interval is a likely 4CP peak worth avoiding for this rig
   */
  public PriceDecision decide(Rig rig, double usdPerKwh, boolean peakLikely) {
    if (rig.sinceChangeS() < minHoldS) {
      return new PriceDecision.Keep("held for less than the minimum hold time");
    }
    StrikePrice strike = rig.strike();
    double nameplateW = strike.rig().nameplateW();
    double sleepW = strike.rig().sleepPowerW();
    double wantW;
    boolean peak = false;
    if (peakLikely) {
      wantW = sleepW;
      peak = true;
    } else {
      double now = strike.optimalPowerW(usdPerKwh);
      if (now < rig.heldPowerW()) {
        // Deeper only as far as a price lower by the deadband would still ask.
        wantW = Math.max(now, strike.optimalPowerW(lowered(usdPerKwh)));
      } else if (now > rig.heldPowerW()) {
        wantW = Math.min(now, strike.optimalPowerW(raised(usdPerKwh)));
      } else {
        wantW = now;
      }
    }
    if (Math.abs(wantW - rig.heldPowerW()) < 1) {
      return new PriceDecision.Keep("already where the price wants it");
    }
    boolean wantsSleep = wantW <= sleepW;
    if (rig.asleep() && !wantsSleep && rig.sinceOnOffS() < rig.minOffS()) {
      return new PriceDecision.Keep("asleep for less than its minimum off-time");
    }
    if (wantsSleep && !rig.asleep() && rig.sinceOnOffS() < rig.minOnS()) {
      double floor = strike.rig().lowestRunW();
      return Math.abs(floor - rig.heldPowerW()) < 1
          ? new PriceDecision.Keep("woken for less than its minimum on-time")
          : new PriceDecision.Reduce(floor);
    }
    if (wantsSleep) {
      return new PriceDecision.Sleep(peak);
    }
    if (wantW >= nameplateW - 1) {
      return new PriceDecision.Run();
    }
    return new PriceDecision.Reduce(wantW);
  }

  // Prices may be negative; the band widens away from the strike either way.
  private double lowered(double price) {
    return price - Math.abs(price) * deadband;
  }

  private double raised(double price) {
    return price + Math.abs(price) * deadband;
  }
}
