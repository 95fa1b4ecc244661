package io.flexrig.core.economics;

import io.flexrig.core.profile.CurtailmentMethodKind;
import io.flexrig.core.profile.HardwareProfile;
import io.flexrig.core.profile.PowerCurve;
import io.flexrig.core.profile.RigKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Revenue, power cost and margin of one rig along its power curve. Miners earn hashprice times
 * hashrate; GPU machines earn the AI rate per GPU-hour times their GPU count and relative
 * throughput. The margin lost per kW shed is what the dispatcher's merit order sorts by: shed first
 * where a kW earns least.
 */
public final class RigEconomics {
  private static final double HOURS_PER_DAY = 24;

  /** The knobs that hold a reduced power while the workload keeps running. */
  private static final List<CurtailmentMethodKind> REDUCING_KNOBS =
      List.of(CurtailmentMethodKind.POWER_TARGET, CurtailmentMethodKind.GPU_POWER_LIMIT);

  private final HardwareProfile profile;
  private final double revenueUsdPerHourPerUnit;
  private final double lowestRunW;
  private final double highestRunW;

  private RigEconomics(HardwareProfile profile, double revenueUsdPerHourPerUnit) {
    this.profile = profile;
    this.revenueUsdPerHourPerUnit = revenueUsdPerHourPerUnit;
    PowerCurve curve = profile.powerCurve();
    // RUN means the vendor's stock setting; overclocking is a tuning choice, not curtailment.
    this.highestRunW =
        Math.min(
            profile.nameplate().powerW(),
            Math.min(profile.limits().maxPowerW(), curve.maxPowerW()));
    double lowest = Math.max(curve.minPowerW(), profile.limits().minPowerTargetW());
    for (CurtailmentMethodKind knob : REDUCING_KNOBS) {
      var spec = profile.curtailment(knob);
      if (spec.isPresent()) {
        lowest = Math.max(lowest, spec.get().minPowerW());
      }
    }
    this.lowestRunW = canReduce(profile) ? Math.min(lowest, highestRunW) : highestRunW;
  }

  private static boolean canReduce(HardwareProfile profile) {
    return REDUCING_KNOBS.stream().anyMatch(k -> profile.curtailment(k).isPresent());
  }

  /** A Bitcoin miner earning the given hashprice. */
  public static RigEconomics mining(HardwareProfile miner, Hashprice hashprice) {
    if (miner.kind() != RigKind.ASIC_MINER || !"TH/s".equals(miner.powerCurve().outputUnit())) {
      throw new IllegalArgumentException(
          miner.id()
              + " does not mine: it is a "
              + miner.kind()
              + " with output "
              + miner.powerCurve().outputUnit());
    }
    return new RigEconomics(miner, hashprice.usdPerThDay() / HOURS_PER_DAY);
  }

  /** A GPU rig or node earning the given AI rate on each of its GPUs. */
  public static RigEconomics ai(HardwareProfile gpuMachine, AiRevenue revenue) {
    if (gpuMachine.kind() == RigKind.ASIC_MINER || gpuMachine.nameplate().gpuCount() <= 0) {
      throw new IllegalArgumentException(gpuMachine.id() + " has no GPUs to sell");
    }
    if (!"relative".equals(gpuMachine.powerCurve().outputUnit())) {
      throw new IllegalArgumentException(
          gpuMachine.id()
              + ": expected a relative output curve, got "
              + gpuMachine.powerCurve().outputUnit());
    }
    return new RigEconomics(
        gpuMachine, revenue.expectedUsdPerGpuHour() * gpuMachine.nameplate().gpuCount());
  }

  /**
   * Mining for ASICs; AI for GPU machines at their rate when one is known. Empty when the rate is
   * unknown or the profile's curve cannot be valued this way (not in TH/s or relative units), so
   * the callers that value a whole catalogue skip such a model instead of failing.
   */
  public static Optional<RigEconomics> valued(
      HardwareProfile profile, Hashprice hashprice, Optional<AiRevenue> ai) {
    try {
      return profile.kind() == RigKind.ASIC_MINER
          ? Optional.of(mining(profile, hashprice))
          : ai.map(rate -> ai(profile, rate));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Mining for ASICs, AI for GPU machines. */
  public static RigEconomics of(HardwareProfile profile, Hashprice hashprice, AiRevenue ai) {
    return profile.kind() == RigKind.ASIC_MINER ? mining(profile, hashprice) : ai(profile, ai);
  }

  public HardwareProfile profile() {
    return profile;
  }

  /** Lowest power the rig can be asked to run its workload at (its reduce knob's floor). */
  public double lowestRunW() {
    return lowestRunW;
  }

  /** Power at the stock setting: nameplate, within the profile's limits. */
  public double nameplateW() {
    return highestRunW;
  }

  public double sleepPowerW() {
    return profile.limits().sleepPowerW();
  }

  /**
   * The powers worth considering when reducing: the reduce range's ends and the measured curve
   * points inside it. The margin is linear between curve points, so its maximum is at one of them.
   * Highest first.
   */
  public List<Double> runPowersW() {
    List<Double> out = new ArrayList<>();
    out.add(highestRunW);
    List<Double> inner = new ArrayList<>();
    for (var p : profile.powerCurve().points()) {
      if (p.powerW() > lowestRunW && p.powerW() < highestRunW) {
        inner.add(p.powerW());
      }
    }
    out.addAll(inner.reversed());
    if (lowestRunW < highestRunW) {
      out.add(lowestRunW);
    }
    return List.copyOf(out);
  }

  /** Expected revenue per hour while running at {@code powerW} (0 below the curve). */
  public double revenueUsdPerHour(double powerW) {
    return revenueUsdPerHourPerUnit * profile.powerCurve().outputAt(powerW);
  }

  /**
   * The rig running at a power of its curve.
   *
   * @throws IllegalArgumentException if the power is off the curve
   */
  public OperatingPoint at(double powerW, double usdPerKwh) {
    PowerCurve curve = profile.powerCurve();
    if (!(powerW >= curve.minPowerW() && powerW <= curve.maxPowerW())) {
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
    return new OperatingPoint(
        powerW, curve.outputAt(powerW), revenueUsdPerHour(powerW), cost(powerW, usdPerKwh));
  }

  /** The rig at its stock setting. */
  public OperatingPoint atNameplate(double usdPerKwh) {
    return at(highestRunW, usdPerKwh);
  }

  /** The rig asleep: no revenue, but the control board and fans still draw its sleep power. */
  public OperatingPoint asleep(double usdPerKwh) {
    return new OperatingPoint(sleepPowerW(), 0, 0, cost(sleepPowerW(), usdPerKwh));
  }

  /** The running point with the highest margin at this price (it may still lose money). */
  public OperatingPoint bestRunning(double usdPerKwh) {
    OperatingPoint best = null;
    for (double w : runPowersW()) {
      OperatingPoint p = at(w, usdPerKwh);
      // Highest power first and strict comparison: on a tie the rig keeps the higher output.
      if (best == null || p.marginUsdPerHour() > best.marginUsdPerHour()) {
        best = p;
      }
    }
    return best;
  }

  /**
   * Margin lost per kW shed when going from {@code fromW} down to {@code toW} along the curve, in
   * USD per kWh-not-drawn: the revenue given up per kW minus the price saved. Negative when the
   * shed kWs were losing money. Computed over the whole step: the curve is not linear.
   */
  public double marginLostPerKwShed(double fromW, double toW, double usdPerKwh) {
    if (!(fromW > toW)) {
      throw new IllegalArgumentException("shedding needs from > to, got " + fromW + " -> " + toW);
    }
    OperatingPoint from = at(fromW, usdPerKwh);
    OperatingPoint to = at(toW, usdPerKwh);
    return (from.marginUsdPerHour() - to.marginUsdPerHour()) / ((fromW - toW) / 1000);
  }

  /** Margin lost per kW shed when putting the rig to sleep from {@code fromW}. */
  public double marginLostPerKwSleeping(double fromW, double usdPerKwh) {
    OperatingPoint from = at(fromW, usdPerKwh);
    OperatingPoint asleep = asleep(usdPerKwh);
    double shedKw = (fromW - asleep.powerW()) / 1000;
    if (!(shedKw > 0)) {
      throw new IllegalArgumentException(profile.id() + " sleeps at " + asleep.powerW() + " W");
    }
    return (from.marginUsdPerHour() - asleep.marginUsdPerHour()) / shedKw;
  }

  /**
   * One step of shedding load down the curve.
   *
   * @param fromW power before the step
   * @param toW power after it (the sleep power for the last step)
   * @param marginLostUsdPerKwh margin lost per kW shed by this step, USD per kWh not drawn
   * @param asleep whether the step puts the rig to sleep
   */
  public record ShedStep(double fromW, double toW, double marginLostUsdPerKwh, boolean asleep) {
    public double shedKw() {
      return (fromW - toW) / 1000;
    }
  }

  /**
   * The steps the dispatcher can take with this rig from {@code currentW}: down through each lower
   * candidate power of the curve, then to sleep, each with its own margin lost per kW. Sorting the
   * steps of all rigs by that figure gives a curve-aware merit order.
   */
  public List<ShedStep> shedSteps(double currentW, double usdPerKwh) {
    List<ShedStep> steps = new ArrayList<>();
    double from = currentW;
    for (double w : runPowersW()) {
      if (w < from) {
        steps.add(new ShedStep(from, w, marginLostPerKwShed(from, w, usdPerKwh), false));
        from = w;
      }
    }
    if (from > sleepPowerW()) {
      steps.add(new ShedStep(from, sleepPowerW(), marginLostPerKwSleeping(from, usdPerKwh), true));
    }
    return List.copyOf(steps);
  }

  private static double cost(double powerW, double usdPerKwh) {
    return powerW / 1000 * usdPerKwh;
  }

  @Override
  public String toString() {
    return "RigEconomics[" + profile.id() + ", " + revenueUsdPerHourPerUnit + " USD/h per unit]";
  }
}
