package io.flexrig.agent.workload;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How this rig runs its profile's workloads ({@code workloads:} in agent.yaml). A workload named
 * here is supervised by the agent; one not named (and without a {@code command} in the profile) is
 * run by the firmware itself, as on a stock miner, and cannot be switched to.
 *
 * @param launches how each supervised workload is run, by its name in the profile
 * @param initial the workload run at the first start (later starts run the one last switched to);
 *     null: the first supervised workload in profile order
 * @param supervision restart backoff, stop grace and log size of child processes
 * @param systemctl path of systemctl, for workloads run as systemd units
 * @param journalctl path of journalctl, to read a unit's log
 * @param nvidiaSmi path of nvidia-smi for the GPU power limit; null: the {@code command} option of
 *     the profile's nvidia-smi sensor, else {@code nvidia-smi} on the PATH
 * @param readyTimeout how long a switch waits for the new workload to answer on its API
 */
public record WorkloadSettings(
    Map<String, Launch> launches,
    String initial,
    WorkloadSupervisor.Settings supervision,
    String systemctl,
    String journalctl,
    String nvidiaSmi,
    Duration readyTimeout) {

  /**
   * How one workload is run: a command line the agent supervises, or a systemd unit.
   *
   * @param command the process and its arguments; empty when run by systemd
   * @param systemdUnit the unit, e.g. {@code vllm.service}; null when run as a child process
   * @param api replaces the profile's {@code api} (this rig's ports); null keeps it
   */
  public record Launch(List<String> command, String systemdUnit, String api) {
    public Launch {
      command = List.copyOf(command);
      if (command.isEmpty() == (systemdUnit == null || systemdUnit.isBlank())) {
        throw new IllegalArgumentException("give a command or a systemd_unit, not both or neither");
      }
    }

    /** A child process. */
    public static Launch process(List<String> command, String api) {
      return new Launch(command, null, api);
    }

    /** A systemd unit. */
    public static Launch systemd(String unit, String api) {
      return new Launch(List.of(), unit, api);
    }
  }

  /** No supervised workloads: the firmware runs them (the default). */
  public static final WorkloadSettings NONE =
      new WorkloadSettings(
          Map.of(),
          null,
          WorkloadSupervisor.Settings.defaults(),
          "systemctl",
          "journalctl",
          null,
          Duration.ofMinutes(2));

  public WorkloadSettings {
    launches = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(launches));
    Objects.requireNonNull(supervision, "supervision");
    Objects.requireNonNull(systemctl, "systemctl");
    Objects.requireNonNull(journalctl, "journalctl");
    Objects.requireNonNull(readyTimeout, "readyTimeout");
  }

  /** These settings with the given launches and initial workload. */
  public WorkloadSettings with(Map<String, Launch> launches, String initial) {
    return new WorkloadSettings(
        launches, initial, supervision, systemctl, journalctl, nvidiaSmi, readyTimeout);
  }

  /** These settings with other supervision timings. */
  public WorkloadSettings with(WorkloadSupervisor.Settings supervision) {
    return new WorkloadSettings(
        launches, initial, supervision, systemctl, journalctl, nvidiaSmi, readyTimeout);
  }

  /** These settings with another nvidia-smi. */
  public WorkloadSettings withNvidiaSmi(String nvidiaSmi) {
    return new WorkloadSettings(
        launches, initial, supervision, systemctl, journalctl, nvidiaSmi, readyTimeout);
  }

  /** These settings with other systemctl and journalctl executables. */
  public WorkloadSettings withSystemd(String systemctl, String journalctl) {
    return new WorkloadSettings(
        launches, initial, supervision, systemctl, journalctl, nvidiaSmi, readyTimeout);
  }
}
