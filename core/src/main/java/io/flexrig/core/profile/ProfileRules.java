package io.flexrig.core.profile;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks that need more than one value: ranges, ordering, consistency between sections and with
 * the file name. Values that could not be read (NaN, null) were reported already and are skipped
 * here, so one mistake is not reported twice.
 */
final class ProfileRules {
  /** Vendors publish efficiency rounded and with a +/-5% tolerance; more than that is a typo. */
  static final double EFFICIENCY_TOLERANCE = 0.05;

  /** A curve that disagrees with the nameplate by more than this at the stock power is suspect. */
  static final double CURVE_NAMEPLATE_TOLERANCE = 0.10;

  static final List<String> OUTPUT_UNITS = List.of("TH/s", "relative");

  private static final Set<CurtailmentMethodKind> GPU_ONLY =
      EnumSet.of(CurtailmentMethodKind.GPU_POWER_LIMIT);
  private static final Set<CurtailmentMethodKind> ASIC_ONLY =
      EnumSet.of(CurtailmentMethodKind.POWER_TARGET);
  private static final Set<CurtailmentMethodKind> POWER_SETTING =
      EnumSet.of(CurtailmentMethodKind.POWER_TARGET, CurtailmentMethodKind.GPU_POWER_LIMIT);

  private final ProfileProblems p;

  ProfileRules(ProfileProblems problems) {
    this.p = problems;
  }

  void check(ProfileReader.Draft d, String expectedId) {
    checkId(d.id(), expectedId);
    boolean asic = d.kind() == RigKind.ASIC_MINER;
    boolean gpu = d.kind() == RigKind.GPU_RIG || d.kind() == RigKind.GPU_NODE;
    if (d.nameplate() != null) {
      checkNameplate(d.nameplate(), asic, gpu);
    }
    if (d.limits() != null) {
      checkLimits(d.limits());
    }
    if (d.thermal() != null) {
      checkThermal(d.thermal());
    }
    checkCurve(d, asic, gpu);
    if (d.nameplate() != null && d.limits() != null) {
      double np = d.nameplate().powerW();
      double max = d.limits().maxPowerW();
      if (ok(np, max) && np > max) {
        p.add(
            "nameplate.power_w",
            "nameplate power " + fmt(np) + " W exceeds limits.max_power_w " + fmt(max) + " W");
      }
    }
    checkSensors(d.sensors(), asic);
    checkWorkloads(d.workloads(), asic, gpu, d.kind() == RigKind.GPU_RIG);
    checkCurtailment(d, asic, gpu);
    if (d.frequencyResponse() != null) {
      checkFrequencyResponse(d.frequencyResponse(), d);
    }
  }

  private void checkFrequencyResponse(FrequencyResponse f, ProfileReader.Draft d) {
    String at = "frequency_response.";
    if (ok(f.nominalHz()) && f.nominalHz() != 50 && f.nominalHz() != 60) {
      p.add(at + "nominal_hz", "nominal frequency must be 50 or 60 Hz, got " + fmt(f.nominalHz()));
    }
    if (ok(f.tripHz(), f.nominalHz())
        && (f.tripHz() >= f.nominalHz() || f.tripHz() < 0.9 * f.nominalHz())) {
      p.add(
          at + "trip_hz",
          "trip point " + fmt(f.tripHz()) + " Hz must be below nominal and within 10 % of it");
    }
    if (ok(f.ufrTripHz(), f.tripHz()) && f.ufrTripHz() >= f.tripHz()) {
      p.add(
          at + "ufr_trip_hz",
          "under-frequency relay trip "
              + fmt(f.ufrTripHz())
              + " Hz must be below trip_hz "
              + fmt(f.tripHz())
              + " Hz (the relay is the deeper line of defence)");
    }
    if (ok(f.recoverHz(), f.tripHz()) && f.recoverHz() <= f.tripHz()) {
      p.add(
          at + "recover_hz",
          "recover_hz "
              + fmt(f.recoverHz())
              + " Hz must be above trip_hz "
              + fmt(f.tripHz())
              + " Hz, or the load would flap");
    }
    if (ok(f.recoverHz(), f.nominalHz()) && f.recoverHz() > f.nominalHz()) {
      p.add(at + "recover_hz", "recover_hz must not be above nominal_hz");
    }
    nonNegative(at + "hold_s", f.holdS());
    CurtailmentMethodKind m = f.method();
    if (m == null) {
      return;
    }
    if (m != CurtailmentMethodKind.POWER_TARGET
        && m != CurtailmentMethodKind.SLEEP
        && m != CurtailmentMethodKind.RELAY_CUT) {
      p.add(at + "method", "sheds with POWER_TARGET, SLEEP or RELAY_CUT, not " + m);
    } else if (d.curtailment() != null
        && !d.curtailment().isEmpty()
        && d.curtailment().stream().noneMatch(c -> c != null && c.method() == m)) {
      p.add(at + "method", m + " is not among this rig's curtailment methods");
    }
    if (m == CurtailmentMethodKind.POWER_TARGET) {
      if (!ok(f.shedToW())) {
        p.add(at + "shed_to_w", "required when the method is POWER_TARGET");
      } else if (d.limits() != null
          && ok(d.limits().minPowerTargetW(), d.limits().maxPowerW())
          && (f.shedToW() < d.limits().minPowerTargetW() || f.shedToW() > d.limits().maxPowerW())) {
        p.add(
            at + "shed_to_w",
            "shed_to_w "
                + fmt(f.shedToW())
                + " W is outside the power target range "
                + fmt(d.limits().minPowerTargetW())
                + "-"
                + fmt(d.limits().maxPowerW())
                + " W");
      }
    }
  }

  private void checkId(String id, String expectedId) {
    if (id == null) {
      return;
    }
    if (!id.matches("[a-z0-9][a-z0-9-]*")) {
      p.add("id", "id '" + id + "' must be lower-case letters, digits and '-'");
    }
    if (expectedId != null && !id.equals(expectedId)) {
      p.add("id", "id '" + id + "' must equal the file name without .yaml ('" + expectedId + "')");
    }
  }

  private void checkNameplate(Nameplate n, boolean asic, boolean gpu) {
    positive("nameplate.power_w", n.powerW());
    if (asic) {
      positive("nameplate.hashrate_ths", n.hashrateThs());
      positive("nameplate.efficiency_j_per_th", n.efficiencyJPerTh());
      if (ok(n.powerW(), n.hashrateThs(), n.efficiencyJPerTh())
          && n.powerW() > 0
          && n.hashrateThs() > 0
          && n.efficiencyJPerTh() > 0) {
        double implied = n.powerW() / n.hashrateThs();
        if (Math.abs(implied - n.efficiencyJPerTh())
            > EFFICIENCY_TOLERANCE * n.efficiencyJPerTh()) {
          p.add(
              "nameplate.efficiency_j_per_th",
              "efficiency "
                  + fmt(n.efficiencyJPerTh())
                  + " J/TH is inconsistent with power_w / hashrate_ths = "
                  + fmt(implied)
                  + " J/TH (tolerance 5%)");
        }
      }
      if (n.gpuCount() != 0) {
        p.add("nameplate.gpu_count", "must be 0 or absent for an ASIC_MINER");
      }
      if (ok(n.gpuTdpW()) && n.gpuTdpW() != 0) {
        p.add("nameplate.gpu_tdp_w", "must be 0 or absent for an ASIC_MINER");
      }
    }
    if (gpu) {
      if (n.gpuCount() < 1 && !p.reported("nameplate.gpu_count")) {
        p.add("nameplate.gpu_count", "a GPU machine needs gpu_count >= 1");
      }
      positive("nameplate.gpu_tdp_w", n.gpuTdpW());
      if (ok(n.hashrateThs()) && n.hashrateThs() != 0) {
        p.add("nameplate.hashrate_ths", "must be 0 or absent for a GPU machine");
      }
      if (ok(n.efficiencyJPerTh()) && n.efficiencyJPerTh() != 0) {
        p.add("nameplate.efficiency_j_per_th", "must be 0 or absent for a GPU machine");
      }
      if (ok(n.powerW(), n.gpuTdpW()) && n.gpuCount() * n.gpuTdpW() > n.powerW()) {
        p.add(
            "nameplate.power_w",
            "nameplate power "
                + fmt(n.powerW())
                + " W is below the GPUs' own "
                + n.gpuCount()
                + " x "
                + fmt(n.gpuTdpW())
                + " W");
      }
    }
  }

  private void checkLimits(Limits l) {
    positive("limits.max_power_w", l.maxPowerW());
    positive("limits.min_power_target_w", l.minPowerTargetW());
    nonNegative("limits.sleep_power_w", l.sleepPowerW());
    nonNegative("limits.min_fan_rpm", l.minFanRpm());
    positive("limits.ramp_w_per_s", l.rampWPerS());
    nonNegative("limits.min_off_s", l.minOffS());
    nonNegative("limits.min_on_s", l.minOnS());
    if (ok(l.minPowerTargetW(), l.maxPowerW()) && l.minPowerTargetW() > l.maxPowerW()) {
      p.add(
          "limits.min_power_target_w",
          "min_power_target_w "
              + fmt(l.minPowerTargetW())
              + " W exceeds max_power_w "
              + fmt(l.maxPowerW())
              + " W");
    }
    if (ok(l.sleepPowerW(), l.minPowerTargetW()) && l.sleepPowerW() >= l.minPowerTargetW()) {
      p.add(
          "limits.sleep_power_w",
          "sleep_power_w "
              + fmt(l.sleepPowerW())
              + " W must be below min_power_target_w "
              + fmt(l.minPowerTargetW())
              + " W (sleeping must save power)");
    }
    temperature("limits.chip_temp_c", l.chipTempC());
    temperature("limits.board_temp_c", l.boardTempC());
    temperature("limits.inlet_temp_c", l.inletTempC());
  }

  private void temperature(String field, TemperatureLimit t) {
    if (!ok(t.derateC(), t.criticalC())) {
      return;
    }
    if (t.derateC() >= t.criticalC()) {
      p.add(
          field + ".critical",
          "critical "
              + fmt(t.criticalC())
              + " C must be above derate "
              + fmt(t.derateC())
              + " C (derating comes before the cut)");
    }
    if (t.criticalC() > 150 || t.derateC() < -40) {
      p.add(field, "thresholds outside -40..150 C; are they in Celsius?");
    }
  }

  private void checkThermal(Thermal t) {
    if (ok(t.ambientC()) && (t.ambientC() < -40 || t.ambientC() > 60)) {
      p.add("thermal.ambient_c", "ambient " + fmt(t.ambientC()) + " C is outside -40..60 C");
    }
    positive("thermal.time_constant_s", t.timeConstantS());
    nonNegative("thermal.chip_rise_c_per_kw", t.chipRiseCPerKw());
    nonNegative("thermal.board_rise_c_per_kw", t.boardRiseCPerKw());
  }

  private void checkCurve(ProfileReader.Draft d, boolean asic, boolean gpu) {
    String unit = d.outputUnit();
    if (unit != null) {
      if (!OUTPUT_UNITS.contains(unit)) {
        p.add(
            "power_curve.output_unit",
            "unknown value '" + unit + "'; allowed: " + String.join(", ", OUTPUT_UNITS));
      } else if (asic && !unit.equals("TH/s")) {
        p.add("power_curve.output_unit", "an ASIC_MINER curve is in TH/s, not " + unit);
      } else if (gpu && !unit.equals("relative")) {
        p.add("power_curve.output_unit", "a GPU machine's curve is 'relative', not " + unit);
      }
    }
    List<CurvePoint> points = d.points();
    if (points == null) {
      return;
    }
    if (points.size() < 2) {
      p.add("power_curve.points", "a power curve needs at least two points");
      return;
    }
    boolean allRead = true;
    for (int i = 0; i < points.size(); i++) {
      CurvePoint pt = points.get(i);
      String at = "power_curve.points[" + i + "]";
      allRead &= ok(pt.powerW(), pt.output());
      positive(at + ".power_w", pt.powerW());
      nonNegative(at + ".output", pt.output());
      if (i == 0) {
        continue;
      }
      CurvePoint prev = points.get(i - 1);
      if (ok(pt.powerW(), prev.powerW()) && pt.powerW() <= prev.powerW()) {
        p.add(
            at + ".power_w",
            "power "
                + fmt(pt.powerW())
                + " W must be strictly increasing (previous point "
                + fmt(prev.powerW())
                + " W)");
      }
      if (ok(pt.output(), prev.output()) && pt.output() < prev.output()) {
        p.add(
            at + ".output",
            "output "
                + fmt(pt.output())
                + " must not decrease with power (previous point "
                + fmt(prev.output())
                + ")");
      }
    }
    Limits l = d.limits();
    if (!allRead || l == null) {
      return;
    }
    double first = points.getFirst().powerW();
    double last = points.getLast().powerW();
    if (ok(l.minPowerTargetW()) && first > l.minPowerTargetW()) {
      p.add(
          "power_curve.points[0].power_w",
          "curve starts at "
              + fmt(first)
              + " W, above limits.min_power_target_w "
              + fmt(l.minPowerTargetW())
              + " W: the curve must cover the whole target range");
    }
    if (ok(l.maxPowerW()) && last < l.maxPowerW()) {
      p.add(
          "power_curve.points[" + (points.size() - 1) + "].power_w",
          "curve ends at "
              + fmt(last)
              + " W, below limits.max_power_w "
              + fmt(l.maxPowerW())
              + " W: the curve must cover the whole target range");
    }
    Nameplate n = d.nameplate();
    if (n == null || !ok(n.powerW()) || n.powerW() < first || n.powerW() > last || unit == null) {
      return;
    }
    double expected = unit.equals("TH/s") ? n.hashrateThs() : 1.0;
    if (!ok(expected) || expected <= 0 || !OUTPUT_UNITS.contains(unit)) {
      return;
    }
    double atNameplate = new PowerCurve(unit, points).outputAt(n.powerW());
    if (Math.abs(atNameplate - expected) > CURVE_NAMEPLATE_TOLERANCE * expected) {
      p.add(
          "power_curve.points",
          "curve gives "
              + fmt(atNameplate)
              + " at the nameplate power "
              + fmt(n.powerW())
              + " W, expected about "
              + fmt(expected)
              + (unit.equals("TH/s") ? " TH/s (nameplate hashrate)" : " (relative 1.0 at stock)"));
    }
  }

  private void checkSensors(List<SensorSpec> sensors, boolean asic) {
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < sensors.size(); i++) {
      SensorSpec s = sensors.get(i);
      String at = "sensors[" + i + "]";
      if (s.role() != null) {
        if (!s.role().matches("[a-z][a-z0-9_]*")) {
          p.add(at + ".role", "role '" + s.role() + "' must be snake_case");
        }
        Integer first = seen.putIfAbsent(s.role(), i);
        if (first != null) {
          p.add(
              at + ".role",
              "duplicate sensor role '" + s.role() + "' (already sensors[" + first + "])");
        }
      }
      if (s.address() != null) {
        try {
          SensorAddress.parse(s.address());
        } catch (IllegalArgumentException e) {
          p.add(at + ".address", e.getMessage());
        }
      }
    }
    if (asic && !sensors.isEmpty() && !seen.containsKey("miner_api")) {
      p.add("sensors", "an ASIC_MINER needs a sensor with role miner_api");
    }
  }

  private void checkWorkloads(
      List<WorkloadSpec> workloads, boolean asic, boolean gpu, boolean gpuRig) {
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < workloads.size(); i++) {
      WorkloadSpec w = workloads.get(i);
      String at = "workloads[" + i + "]";
      if (w.name() != null) {
        Integer first = seen.putIfAbsent(w.name(), i);
        if (first != null) {
          p.add(
              at + ".name",
              "duplicate workload name '" + w.name() + "' (already workloads[" + first + "])");
        }
      }
      if (w.kind() == WorkloadKind.AI_INFERENCE && asic) {
        p.add(at + ".kind", "an ASIC_MINER cannot run AI_INFERENCE");
      }
      if (w.kind() == WorkloadKind.MINING && gpu && !gpuRig) {
        // SHA-256 on GPUs earns nothing next to ASICs; a datacenter GPU node only runs AI work.
        // An open-frame GPU_RIG may mine a GPU-mineable coin through a cgminer-family API
        // (sgminer, TeamRedMiner) and switch to AI inference when that pays more.
        p.add(at + ".kind", "MINING on a GPU machine is not supported (use AI_INFERENCE)");
      }
      if (w.drainS() < 0) {
        p.add(at + ".drain_s", "must be a number of seconds >= 0, got " + w.drainS());
      }
      if (w.minRunS() < 0) {
        p.add(at + ".min_run_s", "must be a number of seconds >= 0, got " + w.minRunS());
      }
      if (w.api() == null || w.kind() == null) {
        continue;
      }
      if (w.kind() == WorkloadKind.MINING) {
        try {
          if (!(SensorAddress.parse(w.api()) instanceof SensorAddress.Cgminer)) {
            p.add(at + ".api", "a MINING workload's api is cgminer://host:port");
          }
        } catch (IllegalArgumentException e) {
          p.add(at + ".api", "a MINING workload's api is cgminer://host:port: " + e.getMessage());
        }
      } else if (!isHttpUrl(w.api())) {
        p.add(
            at + ".api",
            "an AI_INFERENCE workload's api is an http(s) health URL, e.g."
                + " http://127.0.0.1:8000/health");
      }
    }
  }

  private static boolean isHttpUrl(String api) {
    try {
      URI uri = new URI(api);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private void checkCurtailment(ProfileReader.Draft d, boolean asic, boolean gpu) {
    Map<CurtailmentMethodKind, Integer> seen = new HashMap<>();
    List<CurtailmentSpec> specs = d.curtailment();
    Limits l = d.limits();
    for (int i = 0; i < specs.size(); i++) {
      CurtailmentSpec c = specs.get(i);
      String at = "curtailment[" + i + "]";
      if (c.method() != null) {
        Integer first = seen.putIfAbsent(c.method(), i);
        if (first != null) {
          p.add(
              at + ".method",
              "duplicate curtailment method "
                  + c.method()
                  + " (already curtailment["
                  + first
                  + "])");
        }
        if (asic && GPU_ONLY.contains(c.method())) {
          p.add(at + ".method", c.method() + " needs GPUs; an ASIC_MINER uses POWER_TARGET");
        }
        if (gpu && ASIC_ONLY.contains(c.method())) {
          p.add(
              at + ".method", c.method() + " is a miner knob; a GPU machine uses GPU_POWER_LIMIT");
        }
        if (c.method() == CurtailmentMethodKind.SWITCH_WORKLOAD && d.workloads().size() < 2) {
          p.add(at + ".method", "SWITCH_WORKLOAD needs at least two workloads to switch between");
        }
      }
      nonNegative(at + ".latency_s", c.latencyS());
      nonNegative(at + ".min_power_w", c.minPowerW());
      if (ok(c.minPowerW(), c.maxPowerW()) && c.minPowerW() > c.maxPowerW()) {
        p.add(
            at + ".min_power_w",
            "min_power_w "
                + fmt(c.minPowerW())
                + " W exceeds max_power_w "
                + fmt(c.maxPowerW())
                + " W");
      }
      if (l == null) {
        continue;
      }
      if (ok(c.maxPowerW(), l.maxPowerW()) && c.maxPowerW() > l.maxPowerW()) {
        p.add(
            at + ".max_power_w",
            "max_power_w "
                + fmt(c.maxPowerW())
                + " W is outside the limits (limits.max_power_w "
                + fmt(l.maxPowerW())
                + " W)");
      }
      if (c.method() != null
          && POWER_SETTING.contains(c.method())
          && ok(c.minPowerW(), l.minPowerTargetW())
          && c.minPowerW() < l.minPowerTargetW()) {
        p.add(
            at + ".min_power_w",
            "min_power_w "
                + fmt(c.minPowerW())
                + " W is outside the limits (limits.min_power_target_w "
                + fmt(l.minPowerTargetW())
                + " W)");
      }
    }
  }

  private void positive(String field, double v) {
    if (ok(v) && v <= 0) {
      p.add(field, "must be positive, got " + fmt(v));
    }
  }

  private void nonNegative(String field, double v) {
    if (ok(v) && v < 0) {
      p.add(field, "must not be negative, got " + fmt(v));
    }
  }

  private static boolean ok(double... values) {
    for (double v : values) {
      if (Double.isNaN(v)) {
        return false;
      }
    }
    return true;
  }

  static String fmt(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15
        ? Long.toString((long) v)
        : String.valueOf(Math.round(v * 1000) / 1000.0);
  }
}
