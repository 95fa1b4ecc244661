package io.flexrig.bench.dispatch;

import io.flexrig.controller.dispatch.DispatchRig;
import io.flexrig.controller.dispatch.KnobRange;
import io.flexrig.controller.dispatch.Pacing;
import io.flexrig.controller.dispatch.RevenueCurve;
import io.flexrig.core.economics.AiRevenue;
import io.flexrig.core.economics.Hashprice;
import io.flexrig.core.economics.RigEconomics;
import io.flexrig.core.economics.SeedScenario;
import io.flexrig.core.profile.CurtailmentMethodKind;
import io.flexrig.core.profile.CurtailmentSpec;
import io.flexrig.core.profile.HardwareProfile;
import io.flexrig.core.profile.ProfileCatalog;
import io.flexrig.core.profile.RigKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A reproducible site of many rigs of mixed models, built from the real hardware profiles the way
 * the controller builds its dispatcher inputs from the agents' hellos: knob ranges and latencies
 * from the profile's curtailment methods, nameplate efficiency, sleep power, and a measured power
 * near the nameplate. Each rig also carries its economics, so a plan can be valued.
 */
public final class MixedFleet {

  /** Share of each model in the fleet: mostly miners, a few GPU machines (as at a hybrid site). */
  public static final Map<String, Double> MIX = mix();

  /** Power price used to value plans, USD per kWh (a typical fixed-price mining contract). */
  public static final double POWER_PRICE_USD_PER_KWH = 0.035;

  /** AI rates per GPU-hour by profile: rental market figures, with the share of hours sold. */
  public static final Map<String, AiRevenue> AI_RATES =
      Map.of(
          "gpu-rig-8x-rtx4090", new AiRevenue(0.30, 0.70),
          "hgx-h100-8x", new AiRevenue(1.90, 0.80));

  /**
   * One rig: the dispatcher's view of it, its model and its economics.
   *
   * @param measuredW the power it draws now
   */
  public record Rig(
      DispatchRig dispatch, HardwareProfile profile, RigEconomics economics, double measuredW) {

    /** Revenue per hour at a given power (0 asleep or below the curve). */
    public double revenueUsdPerHour(double powerW) {
      return economics.revenueUsdPerHour(powerW);
    }
  }

  private final List<Rig> rigs;
  private final Map<String, Rig> byId;
  private final List<DispatchRig> dispatchRigs;
  private final double measuredW;

  private MixedFleet(List<Rig> rigs) {
    this.rigs = List.copyOf(rigs);
    this.byId = new LinkedHashMap<>();
    List<DispatchRig> inputs = new ArrayList<>(rigs.size());
    double sum = 0;
    for (Rig r : rigs) {
      byId.put(r.dispatch().rigId(), r);
      inputs.add(r.dispatch());
      sum += r.measuredW();
    }
    this.dispatchRigs = List.copyOf(inputs);
    this.measuredW = sum;
  }

  /** A fleet of the given rigs. */
  public static MixedFleet of(List<Rig> rigs) {
    return new MixedFleet(rigs);
  }

  /** One rig of a model, valued with the seed hashprice or {@link #AI_RATES}. */
  public static Rig rigOf(String rigId, HardwareProfile profile, double measuredW) {
    RigEconomics economics = economics(profile, SeedScenario.builtIn().latest().hashprice());
    return new Rig(
        dispatchRig(rigId, profile, measuredW, RevenueCurve.of(economics)),
        profile,
        economics,
        measuredW);
  }

  private static RigEconomics economics(HardwareProfile p, Hashprice hashprice) {
    return p.kind() == RigKind.ASIC_MINER
        ? RigEconomics.mining(p, hashprice)
        : RigEconomics.ai(p, AI_RATES.get(p.id()));
  }

  /** {@code n} rigs drawn from {@link #MIX} with the packaged profiles and the seed economics. */
  public static MixedFleet generate(int n, long seed) {
    return generate(n, seed, ProfileCatalog.builtIn());
  }

  /** {@code n} rigs drawn from {@link #MIX} with the given profiles. */
  public static MixedFleet generate(int n, long seed, ProfileCatalog catalog) {
    if (n < 1) {
      throw new IllegalArgumentException("a fleet needs at least one rig, got " + n);
    }
    Hashprice hashprice = SeedScenario.builtIn().latest().hashprice();
    SplittableRandom random = new SplittableRandom(seed);
    List<String> models = List.copyOf(MIX.keySet());
    double[] cumulative = new double[models.size()];
    double total = 0;
    for (int i = 0; i < models.size(); i++) {
      total += MIX.get(models.get(i));
      cumulative[i] = total;
    }
    Map<String, RigEconomics> economics = new LinkedHashMap<>();
    Map<String, RevenueCurve> curves = new LinkedHashMap<>();
    for (String id : models) {
      economics.put(id, economics(catalog.require(id), hashprice));
      curves.put(id, RevenueCurve.of(economics.get(id)));
    }
    List<Rig> rigs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double pick = random.nextDouble() * total;
      int m = 0;
      while (cumulative[m] < pick) {
        m++;
      }
      HardwareProfile profile = catalog.require(models.get(m));
      // Rigs of one model differ: firmware tuning, chip bin and inlet air move power a few percent.
      double jitter = 1 + (random.nextDouble() - 0.5) * 0.06;
      double measured =
          Math.min(
              profile.limits().maxPowerW(),
              Math.max(profile.powerCurve().minPowerW(), profile.nameplate().powerW() * jitter));
      String rigId = String.format(Locale.ROOT, "rig-%06d", i);
      rigs.add(
          new Rig(
              dispatchRig(rigId, profile, measured, curves.get(profile.id())),
              profile,
              economics.get(profile.id()),
              measured));
    }
    return new MixedFleet(rigs);
  }

  /**
   * The dispatcher's input for a rig of this model: what its agent's hello announces, the profile's
   * time rules, and its revenue along its curve as the controller values it.
   */
  public static DispatchRig dispatchRig(
      String rigId, HardwareProfile profile, double measuredW, RevenueCurve revenue) {
    Optional<KnobRange> target =
        profile
            .curtailment(CurtailmentMethodKind.POWER_TARGET)
            .or(() -> profile.curtailment(CurtailmentMethodKind.GPU_POWER_LIMIT))
            .map(MixedFleet::knob);
    Optional<KnobRange> sleep =
        profile.curtailment(CurtailmentMethodKind.SLEEP).map(MixedFleet::knob);
    var limits = profile.limits();
    return new DispatchRig(
        rigId,
        Optional.of(measuredW),
        profile.nameplate().efficiencyJPerTh(),
        limits.sleepPowerW(),
        target,
        sleep,
        Optional.empty(),
        profile.nameplate().powerW(),
        Optional.of(revenue),
        new Pacing(
            Math.max(0, limits.rampWPerS()),
            Math.max(0, limits.minOnS()),
            Math.max(0, limits.minOffS()),
            Double.POSITIVE_INFINITY,
            Double.POSITIVE_INFINITY));
  }

  private static KnobRange knob(CurtailmentSpec c) {
    double min = Math.max(0, c.minPowerW());
    return new KnobRange(min, Math.max(min, c.maxPowerW()), Math.max(0, c.latencyS()));
  }

  public List<Rig> rigs() {
    return rigs;
  }

  /** The dispatcher's inputs, in generation order. */
  public List<DispatchRig> dispatchRigs() {
    return dispatchRigs;
  }

  public Rig rig(String rigId) {
    Rig r = byId.get(rigId);
    if (r == null) {
      throw new IllegalArgumentException("no rig " + rigId);
    }
    return r;
  }

  /** Sum of the rigs' measured power, in watts. */
  public double measuredW() {
    return measuredW;
  }

  public int size() {
    return rigs.size();
  }

  private static Map<String, Double> mix() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("antminer-s19j-pro", 0.30);
    m.put("antminer-s21", 0.25);
    m.put("whatsminer-m50s", 0.20);
    m.put("avalon-a1366", 0.15);
    m.put("gpu-rig-8x-rtx4090", 0.07);
    m.put("hgx-h100-8x", 0.03);
    return java.util.Collections.unmodifiableMap(m);
  }
}
