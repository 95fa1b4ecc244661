package io.flexrig.core.profile;

import static io.flexrig.core.profile.YamlMapping.keys;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Maps the composed YAML tree of one profile onto the records, field by field. What cannot be read
 * becomes NaN or null and a recorded problem; {@link ProfileRules} then checks the values that were
 * read.
 */
final class ProfileReader {
  static final Set<String> ROOT_KEYS =
      keys(
          "id",
          "vendor",
          "model",
          "kind",
          "nameplate",
          "power_curve",
          "limits",
          "thermal",
          "sensors",
          "workloads",
          "curtailment",
          "frequency_response");
  static final Set<String> FREQUENCY_KEYS =
      keys("nominal_hz", "trip_hz", "ufr_trip_hz", "method", "shed_to_w", "hold_s", "recover_hz");
  static final Set<String> NAMEPLATE_KEYS =
      keys(
          "power_w", "hashrate_ths", "efficiency_j_per_th", "gpu_count", "gpu_tdp_w", "references");
  static final Set<String> CURVE_KEYS = keys("output_unit", "points");
  static final Set<String> POINT_KEYS = keys("power_w", "output");
  static final Set<String> LIMITS_KEYS =
      keys(
          "max_power_w",
          "min_power_target_w",
          "sleep_power_w",
          "chip_temp_c",
          "board_temp_c",
          "inlet_temp_c",
          "min_fan_rpm",
          "ramp_w_per_s",
          "min_off_s",
          "min_on_s");
  static final Set<String> TEMPERATURE_KEYS = keys("derate", "critical");
  static final Set<String> THERMAL_KEYS =
      keys("ambient_c", "time_constant_s", "chip_rise_c_per_kw", "board_rise_c_per_kw");
  static final Set<String> SENSOR_KEYS = keys("role", "address", "options");
  static final Set<String> WORKLOAD_KEYS =
      keys("name", "kind", "api", "command", "drain_s", "min_run_s");
  static final Set<String> CURTAILMENT_KEYS =
      keys("method", "latency_s", "min_power_w", "max_power_w");

  private final ProfileProblems problems;

  ProfileReader(ProfileProblems problems) {
    this.problems = problems;
  }

  /** Everything read from the file; parts that could not be read are null. */
  record Draft(
      String id,
      String vendor,
      String model,
      RigKind kind,
      Nameplate nameplate,
      String outputUnit,
      List<CurvePoint> points,
      Limits limits,
      Thermal thermal,
      List<SensorSpec> sensors,
      List<WorkloadSpec> workloads,
      List<CurtailmentSpec> curtailment,
      FrequencyResponse frequencyResponse) {}

  Draft read(Node root) {
    YamlMapping top = YamlMapping.of(root, "", problems, ROOT_KEYS);
    if (top == null) {
      return null;
    }
    RigKind kind = top.enumValue("kind", RigKind.class);
    YamlMapping curve = top.mapping("power_curve", CURVE_KEYS);
    return new Draft(
        top.text("id"),
        top.text("vendor"),
        top.text("model"),
        kind,
        nameplate(top.mapping("nameplate", NAMEPLATE_KEYS), kind),
        curve == null ? null : curve.text("output_unit"),
        curve == null ? null : points(curve),
        limits(top.mapping("limits", LIMITS_KEYS)),
        thermal(top.mapping("thermal", THERMAL_KEYS)),
        sensors(top),
        workloads(top),
        curtailment(top),
        top.has("frequency_response")
            ? frequencyResponse(top.mapping("frequency_response", FREQUENCY_KEYS))
            : null);
  }

  private FrequencyResponse frequencyResponse(YamlMapping m) {
    if (m == null) {
      return null;
    }
    return new FrequencyResponse(
        m.number("nominal_hz"),
        m.number("trip_hz"),
        m.number("ufr_trip_hz", Double.NaN),
        m.enumValue("method", CurtailmentMethodKind.class),
        m.number("shed_to_w", Double.NaN),
        m.number("hold_s"),
        m.number("recover_hz"));
  }

  private Nameplate nameplate(YamlMapping m, RigKind kind) {
    if (m == null) {
      return null;
    }
    boolean asic = kind == RigKind.ASIC_MINER;
    boolean gpu = kind == RigKind.GPU_RIG || kind == RigKind.GPU_NODE;
    double power = m.number("power_w");
    // Which figures are required depends on the kind; an unknown kind makes them all optional.
    double hashrate = asic ? m.number("hashrate_ths") : m.number("hashrate_ths", 0);
    double efficiency = asic ? m.number("efficiency_j_per_th") : m.number("efficiency_j_per_th", 0);
    int gpuCount = gpu ? m.integer("gpu_count") : m.integer("gpu_count", 0);
    double gpuTdp = gpu ? m.number("gpu_tdp_w") : m.number("gpu_tdp_w", 0);
    List<String> references = new ArrayList<>();
    List<Node> refs = m.list("references");
    if (refs != null) {
      for (int i = 0; i < refs.size(); i++) {
        String ref = m.toText(refs.get(i), m.field("references") + "[" + i + "]");
        if (ref != null) {
          references.add(ref);
        }
      }
      if (refs.isEmpty()) {
        problems.add(
            m.field("references"), "name at least one published spec the figures come from");
      }
    }
    return new Nameplate(power, hashrate, efficiency, gpuCount, gpuTdp, references);
  }

  private List<CurvePoint> points(YamlMapping curve) {
    List<Node> nodes = curve.list("points");
    if (nodes == null) {
      return null;
    }
    List<CurvePoint> points = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      YamlMapping p =
          YamlMapping.of(nodes.get(i), curve.field("points") + "[" + i + "]", problems, POINT_KEYS);
      points.add(
          p == null
              ? new CurvePoint(Double.NaN, Double.NaN)
              : new CurvePoint(p.number("power_w"), p.number("output")));
    }
    return points;
  }

  private Limits limits(YamlMapping m) {
    if (m == null) {
      return null;
    }
    return new Limits(
        m.number("max_power_w"),
        m.number("min_power_target_w"),
        m.number("sleep_power_w"),
        temperature(m, "chip_temp_c"),
        temperature(m, "board_temp_c"),
        temperature(m, "inlet_temp_c"),
        m.number("min_fan_rpm"),
        m.number("ramp_w_per_s"),
        m.number("min_off_s"),
        m.number("min_on_s"));
  }

  private TemperatureLimit temperature(YamlMapping limits, String key) {
    YamlMapping t = limits.mapping(key, TEMPERATURE_KEYS);
    if (t == null) {
      return new TemperatureLimit(Double.NaN, Double.NaN);
    }
    return new TemperatureLimit(t.number("derate"), t.number("critical"));
  }

  private Thermal thermal(YamlMapping m) {
    if (m == null) {
      return null;
    }
    return new Thermal(
        m.number("ambient_c"),
        m.number("time_constant_s"),
        m.number("chip_rise_c_per_kw"),
        m.number("board_rise_c_per_kw"));
  }

  private List<SensorSpec> sensors(YamlMapping top) {
    List<SensorSpec> out = new ArrayList<>();
    for (YamlMapping s : items(top, "sensors", SENSOR_KEYS)) {
      out.add(
          s == null
              ? new SensorSpec(null, null, java.util.Map.of())
              : new SensorSpec(s.text("role"), s.text("address"), s.scalarMap("options")));
    }
    return out;
  }

  private List<WorkloadSpec> workloads(YamlMapping top) {
    List<WorkloadSpec> out = new ArrayList<>();
    for (YamlMapping w : items(top, "workloads", WORKLOAD_KEYS)) {
      if (w == null) {
        out.add(new WorkloadSpec(null, null, null, List.of()));
        continue;
      }
      List<String> command = new ArrayList<>();
      List<Node> parts = w.list("command", List.of());
      if (parts != null) {
        for (int i = 0; i < parts.size(); i++) {
          String part = w.toText(parts.get(i), w.field("command") + "[" + i + "]");
          if (part != null) {
            command.add(part);
          }
        }
      }
      WorkloadKind kind = w.enumValue("kind", WorkloadKind.class);
      out.add(
          new WorkloadSpec(
              w.text("name"),
              kind,
              w.text("api"),
              command,
              w.number(
                  "drain_s",
                  kind == WorkloadKind.AI_INFERENCE ? WorkloadSpec.DEFAULT_AI_DRAIN_S : 0),
              w.number("min_run_s", WorkloadSpec.DEFAULT_MIN_RUN_S)));
    }
    return out;
  }

  private List<CurtailmentSpec> curtailment(YamlMapping top) {
    List<CurtailmentSpec> out = new ArrayList<>();
    for (YamlMapping c : items(top, "curtailment", CURTAILMENT_KEYS)) {
      if (c == null) {
        out.add(new CurtailmentSpec(null, Double.NaN, Double.NaN, Double.NaN));
        continue;
      }
      out.add(
          new CurtailmentSpec(
              c.enumValue("method", CurtailmentMethodKind.class),
              c.number("latency_s"),
              c.number("min_power_w"),
              c.number("max_power_w")));
    }
    return out;
  }

  /**
   * The mappings of a required list, index for index; an item that is not a mapping is reported and
   * stands as null so later paths keep their index.
   */
  private List<YamlMapping> items(YamlMapping parent, String key, Set<String> known) {
    List<Node> nodes = parent.list(key);
    List<YamlMapping> out = new ArrayList<>();
    if (nodes == null) {
      return out;
    }
    if (nodes.isEmpty()) {
      problems.add(parent.field(key), "needs at least one entry");
    }
    for (int i = 0; i < nodes.size(); i++) {
      YamlMapping item =
          YamlMapping.of(nodes.get(i), parent.field(key) + "[" + i + "]", problems, known);
      out.add(item);
    }
    return out;
  }
}
