package io.flexrig.agent.control;

import io.flexrig.core.profile.CurtailmentMethodKind;
import io.flexrig.core.profile.CurtailmentSpec;
import io.flexrig.core.profile.HardwareProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which knob reaches a setpoint by its deadline, from the profile's curtailment methods and their
 * measured latencies. The gentlest knob that meets the deadline wins (power target, then sleep,
 * then the supply relay): a rig that can be turned down in time is not put to sleep, and one that
 * can be put to sleep in time keeps its supply. When none is fast enough, the fastest one is used;
 * with no power measurement, the gentlest.
 */
public final class KnobChoice {
  private KnobChoice() {}

  /**
   * @param measuredW the rig's power now, or NaN when unknown
   * @param targetW the power to be at or below
   * @param available time left until the deadline
   * @param hasSupplySwitch the rig can cut its supply (RELAY_CUT needs a switch to act on)
   */
  public static CurtailmentMethodKind choose(
      HardwareProfile profile,
      double measuredW,
      double targetW,
      Duration available,
      boolean hasSupplySwitch) {
    List<Candidate> able = new ArrayList<>();
    for (CurtailmentMethodKind kind :
        List.of(
            CurtailmentMethodKind.POWER_TARGET,
            CurtailmentMethodKind.SLEEP,
            CurtailmentMethodKind.RELAY_CUT)) {
      Optional<CurtailmentSpec> spec = profile.curtailment(kind);
      if (kind == CurtailmentMethodKind.POWER_TARGET && spec.isEmpty()) {
        // a GPU rig's power target is its GPUs' power limit: the same knob, by nvidia-smi
        spec = profile.curtailment(CurtailmentMethodKind.GPU_POWER_LIMIT);
      }
      if (spec.isEmpty() || (kind == CurtailmentMethodKind.RELAY_CUT && !hasSupplySwitch)) {
        continue;
      }
      if (kind == CurtailmentMethodKind.POWER_TARGET && targetW < spec.get().minPowerW()) {
        continue;
      }
      if (kind != CurtailmentMethodKind.POWER_TARGET && spec.get().maxPowerW() > targetW) {
        continue;
      }
      able.add(new Candidate(kind, latencyS(profile, spec.get(), measuredW, targetW)));
    }
    if (able.isEmpty()) {
      return CurtailmentMethodKind.POWER_TARGET;
    }
    if (!Double.isFinite(measuredW)) {
      // no evidence the rig is above the target (e.g. re-applying a journaled command at start,
      // before the first sample): the gentlest knob; verification re-applies it if needed
      return able.getFirst().kind;
    }
    double seconds = available.toMillis() / 1000.0;
    for (Candidate c : able) {
      if (c.latencyS <= seconds) {
        return c.kind;
      }
    }
    return able.stream().min(Comparator.comparingDouble(Candidate::latencyS)).orElseThrow().kind;
  }

  /**
   * A knob's expected time to the target: its measured latency, and for the power target no less
   * than the ramp down from the measured power at the profile's ramp rate. 0 when already there.
   */
  static double latencyS(
      HardwareProfile profile, CurtailmentSpec spec, double measuredW, double targetW) {
    if (Double.isFinite(measuredW) && measuredW <= targetW) {
      return 0;
    }
    boolean target =
        spec.method() == CurtailmentMethodKind.POWER_TARGET
            || spec.method() == CurtailmentMethodKind.GPU_POWER_LIMIT;
    if (target && Double.isFinite(measuredW)) {
      double rampS = (measuredW - targetW) / Math.max(1e-9, profile.limits().rampWPerS());
      return Math.max(spec.latencyS(), rampS);
    }
    return spec.latencyS();
  }

  private record Candidate(CurtailmentMethodKind kind, double latencyS) {}
}
