package io.flexrig.controller.price;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What price-driven dispatch sees and does, for operators (logs, /metrics, {@code flexrigctl
 * price}).
 *
 * @param at when the last tick ran (null before the first)
 * @param price the price in force at the last tick and its source; empty when no feed had one
 * @param problem why there is no price or why a feed is not current (e.g. a malformed price file
 *     that was not taken); empty when all is well
 * @param strikes the strike prices of the rig models connected now
 * @param curtailed the rigs holding a price-driven setpoint
 */
public record PriceStatus(
    Instant at,
    Optional<PriceFeed.Quote> price,
    Optional<String> problem,
    List<Strike> strikes,
    List<CurtailedRig> curtailed) {

  public PriceStatus {
    strikes = List.copyOf(strikes);
    curtailed = List.copyOf(curtailed);
  }

  /**
   * One model's strike prices.
   *
   * @param reduceAboveUsdPerKwh above this price a lower power target beats nameplate
   * @param sleepAboveUsdPerKwh above this price the rig sleeps
   * @param nameplateBreakEvenUsdPerKwh where running at nameplate earns exactly what sleeping costs
   */
  public record Strike(
      String profileId,
      double reduceAboveUsdPerKwh,
      double sleepAboveUsdPerKwh,
      double nameplateBreakEvenUsdPerKwh) {}

  /**
   * A rig on a price-driven setpoint.
   *
   * @param asleep true when asleep, false on a reduced power target
   * @param powerW the power target (the sleep power when asleep)
   * @param since when the setpoint was sent
   */
  public record CurtailedRig(
      String siteId,
      String rigId,
      String profileId,
      boolean asleep,
      double powerW,
      Instant since) {}
}
