package io.flexrig.core.profile;

import java.util.List;
import java.util.Optional;

/**
 * Everything Flexrig knows about one rig model, loaded from one YAML file in {@code
 * hardware-profiles/}. The agent enforces its limits, the simulator follows its physics, and the
 * controller dispatches by its curve and curtailment methods.
 *
 * @param id stable id, equal to the file name without {@code .yaml}, e.g. {@code antminer-s21}
 * @param source where the profile was loaded from, for error messages
 * @param frequencyResponse the autonomous frequency response, or null when the model has none
 */
public record HardwareProfile(
    String id,
    String vendor,
    String model,
    RigKind kind,
    Nameplate nameplate,
    PowerCurve powerCurve,
    Limits limits,
    Thermal thermal,
    List<SensorSpec> sensors,
    List<WorkloadSpec> workloads,
    List<CurtailmentSpec> curtailment,
    String source,
    FrequencyResponse frequencyResponse) {

  public HardwareProfile {
    sensors = List.copyOf(sensors);
    workloads = List.copyOf(workloads);
    curtailment = List.copyOf(curtailment);
  }

  /** A profile without frequency response. */
  public HardwareProfile(
      String id,
      String vendor,
      String model,
      RigKind kind,
      Nameplate nameplate,
      PowerCurve powerCurve,
      Limits limits,
      Thermal thermal,
      List<SensorSpec> sensors,
      List<WorkloadSpec> workloads,
      List<CurtailmentSpec> curtailment,
      String source) {
    this(
        id,
        vendor,
        model,
        kind,
        nameplate,
        powerCurve,
        limits,
        thermal,
        sensors,
        workloads,
        curtailment,
        source,
        null);
  }

  /** The curtailment method of the given kind, if this model has it. */
  public Optional<CurtailmentSpec> curtailment(CurtailmentMethodKind method) {
    return curtailment.stream().filter(c -> c.method() == method).findFirst();
  }

  /** The sensor bound to a role (e.g. {@code miner_api}, {@code input_power}), if any. */
  public Optional<SensorSpec> sensor(String role) {
    return sensors.stream().filter(s -> s.role().equals(role)).findFirst();
  }
}
