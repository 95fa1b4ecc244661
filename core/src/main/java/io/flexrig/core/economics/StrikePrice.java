package io.flexrig.core.economics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The power prices at which a rig should curtail. Below {@link #reduceAboveUsdPerKwh()} it runs at
 * nameplate; above it the margin is highest at a lower power target (miners are more efficient
 * underclocked); above {@link #sleepAboveUsdPerKwh()} no point of the curve pays for its power and
 * it sleeps. All break-evens are measured against sleeping, not against zero: an asleep rig still
 * draws its sleep power, so the break-even price is revenue over (run power - sleep power), a
 * little above {@link BreakEvenPowerPrice}'s revenue over run power.
 */
public final class StrikePrice {

  /**
   * One rung of the price ladder: for prices above {@code aboveUsdPerKwh} (up to the next rung) the
   * rig should draw {@code powerW}.
   *
   * @param asleep whether this rung is sleep
   */
  public record Step(double aboveUsdPerKwh, double powerW, boolean asleep) {}

  private final RigEconomics rig;
  private final List<Step> ladder;
  private final double mostEfficientW;

  private StrikePrice(RigEconomics rig) {
    this.rig = rig;
    this.ladder = buildLadder(rig);
    double bestRatio = Double.NEGATIVE_INFINITY;
    double bestW = rig.nameplateW();
    for (double w : rig.runPowersW()) {
      double ratio = breakEven(rig, w);
      if (ratio > bestRatio) {
        bestRatio = ratio;
        bestW = w;
      }
    }
    this.mostEfficientW = bestW;
  }

  public static StrikePrice of(RigEconomics rig) {
    return new StrikePrice(rig);
  }

  public String profileId() {
    return rig.profile().id();
  }

  public RigEconomics rig() {
    return rig;
  }

  /** Price at which running at nameplate earns exactly what sleeping costs. */
  public double nameplateBreakEvenUsdPerKwh() {
    return breakEven(rig, rig.nameplateW());
  }

  /** The reachable power with the most revenue per kWh above sleep. */
  public double mostEfficientW() {
    return mostEfficientW;
  }

  /** Break-even at the most efficient point: above this price the rig should sleep. */
  public double sleepAboveUsdPerKwh() {
    return breakEven(rig, mostEfficientW);
  }

  /**
   * Above this price a reduced power target beats nameplate: the last kWs before nameplate earn
   * less than they cost. Equal to {@link #sleepAboveUsdPerKwh()} if the rig never reduces.
   */
  public double reduceAboveUsdPerKwh() {
    return ladder.size() > 1 ? ladder.get(1).aboveUsdPerKwh() : Double.POSITIVE_INFINITY;
  }

  /**
   * The whole price ladder, cheapest first: the first rung (nameplate) applies from minus infinity,
   * the last is sleep.
   */
  public List<Step> ladder() {
    return ladder;
  }

  /** Power the rig should draw at this price (its sleep power if it should sleep). */
  public double optimalPowerW(double usdPerKwh) {
    return advise(usdPerKwh).powerW();
  }

  /** RUN, REDUCE or SLEEP at this price, with each option's margin. */
  public CurtailmentAdvice advise(double usdPerKwh) {
    Prices.requireFinite("price", usdPerKwh);
    OperatingPoint run = rig.atNameplate(usdPerKwh);
    Optional<OperatingPoint> reduce = Optional.empty();
    for (double w : rig.runPowersW()) {
      if (w < rig.nameplateW()) {
        OperatingPoint p = rig.at(w, usdPerKwh);
        if (reduce.isEmpty() || p.marginUsdPerHour() > reduce.get().marginUsdPerHour()) {
          reduce = Optional.of(p);
        }
      }
    }
    OperatingPoint sleep = rig.asleep(usdPerKwh);
    CurtailmentAdvice.Action action = CurtailmentAdvice.Action.RUN;
    double best = run.marginUsdPerHour();
    if (reduce.isPresent() && reduce.get().marginUsdPerHour() > best) {
      action = CurtailmentAdvice.Action.REDUCE;
      best = reduce.get().marginUsdPerHour();
    }
    if (sleep.marginUsdPerHour() > best) {
      action = CurtailmentAdvice.Action.SLEEP;
    }
    return new CurtailmentAdvice(profileId(), usdPerKwh, action, run, reduce, sleep);
  }

  /** The advice at the price a tariff charges at an instant. */
  public CurtailmentAdvice advise(PowerPrice price, Instant at) {
    return advise(price.usdPerKwhAt(at));
  }

  private static double breakEven(RigEconomics rig, double powerW) {
    double aboveSleepKw = (powerW - rig.sleepPowerW()) / 1000;
    return rig.revenueUsdPerHour(powerW) / aboveSleepKw;
  }

  /**
   * The upper envelope of the margin lines {@code revenue - price * kW}, one per candidate power
   * plus sleep, walked from low to high prices: at each rung the next line to take over is the one
   * crossing the current line at the lowest price.
   */
  private static List<Step> buildLadder(RigEconomics rig) {
    List<double[]> lines = new ArrayList<>(); // {powerW, revenue per hour}
    for (double w : rig.runPowersW()) {
      lines.add(new double[] {w, rig.revenueUsdPerHour(w)});
    }
    double sleepW = rig.sleepPowerW();
    lines.add(new double[] {sleepW, 0});

    List<Step> out = new ArrayList<>();
    double[] current = lines.getFirst();
    double price = Double.NEGATIVE_INFINITY;
    out.add(new Step(price, current[0], false));
    while (current[0] != sleepW) {
      double[] next = null;
      double nextPrice = Double.POSITIVE_INFINITY;
      for (double[] line : lines) {
        if (line[0] >= current[0]) {
          continue;
        }
        double crossing = (current[1] - line[1]) / ((current[0] - line[0]) / 1000);
        if (crossing < nextPrice || (crossing == nextPrice && line[0] < next[0])) {
          nextPrice = crossing;
          next = line;
        }
      }
      if (next == null) {
        break;
      }
      price = Math.max(price, nextPrice);
      current = next;
      out.add(new Step(price, current[0], current[0] == sleepW));
    }
    return List.copyOf(out);
  }

  @Override
  public String toString() {
    return "StrikePrice["
        + profileId()
        + ": reduce above "
        + reduceAboveUsdPerKwh()
        + ", sleep above "
        + sleepAboveUsdPerKwh()
        + " USD/kWh]";
  }
}
