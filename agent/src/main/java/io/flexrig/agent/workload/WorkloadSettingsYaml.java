package io.flexrig.agent.workload;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code workloads:} section of agent.yaml (already parsed into maps) into {@link
 * WorkloadSettings}. Errors are {@link IllegalArgumentException}s whose message starts with the
 * field's path, e.g. {@code workloads.run.mining.command: ...}.
 */
public final class WorkloadSettingsYaml {
  static final Set<String> FIELDS =
      Set.of(
          "initial",
          "run",
          "nvidia_smi",
          "systemctl",
          "journalctl",
          "restart_backoff_ms",
          "restart_backoff_max_ms",
          "stable_after_s",
          "stop_grace_ms",
          "log_lines",
          "ready_timeout_s");
  static final Set<String> RUN_FIELDS = Set.of("command", "systemd_unit", "api");

  private WorkloadSettingsYaml() {}

  public static WorkloadSettings parse(Object section) {
    if (section == null) {
      return WorkloadSettings.NONE;
    }
    if (!(section instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException("workloads: expected a mapping");
    }
    for (Object k : m.keySet()) {
      if (!FIELDS.contains(String.valueOf(k))) {
        throw new IllegalArgumentException(
            "workloads." + k + ": unknown setting (known: " + FIELDS + ")");
      }
    }
    WorkloadSupervisor.Settings d = WorkloadSupervisor.Settings.defaults();
    WorkloadSupervisor.Settings supervision =
        new WorkloadSupervisor.Settings(
            Duration.ofMillis(number(m, "restart_backoff_ms", d.initialBackoff().toMillis())),
            Duration.ofMillis(number(m, "restart_backoff_max_ms", d.maxBackoff().toMillis())),
            Duration.ofSeconds(number(m, "stable_after_s", d.stableAfter().toSeconds())),
            Duration.ofMillis(number(m, "stop_grace_ms", d.stopGrace().toMillis())),
            (int) number(m, "log_lines", d.logLines()));
    Map<String, WorkloadSettings.Launch> launches = new LinkedHashMap<>();
    Object run = m.get("run");
    if (run != null) {
      if (!(run instanceof Map<?, ?> r)) {
        throw new IllegalArgumentException("workloads.run: expected a mapping of workload name");
      }
      for (Map.Entry<?, ?> e : r.entrySet()) {
        String at = "workloads.run." + e.getKey();
        launches.put(String.valueOf(e.getKey()), launch(at, e.getValue()));
      }
    }
    WorkloadSettings s = WorkloadSettings.NONE;
    return new WorkloadSettings(
        launches,
        text(m, "initial", null, "workloads.initial"),
        supervision,
        text(m, "systemctl", s.systemctl(), "workloads.systemctl"),
        text(m, "journalctl", s.journalctl(), "workloads.journalctl"),
        text(m, "nvidia_smi", null, "workloads.nvidia_smi"),
        Duration.ofSeconds(number(m, "ready_timeout_s", s.readyTimeout().toSeconds())));
  }

  private static WorkloadSettings.Launch launch(String at, Object v) {
    if (!(v instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException(at + ": expected command: [...] or systemd_unit: NAME");
    }
    for (Object k : m.keySet()) {
      if (!RUN_FIELDS.contains(String.valueOf(k))) {
        throw new IllegalArgumentException(at + "." + k + ": unknown (known: " + RUN_FIELDS + ")");
      }
    }
    List<String> command = new ArrayList<>();
    Object c = m.get("command");
    if (c instanceof List<?> parts) {
      for (Object p : parts) {
        if (p == null || p instanceof Map || p instanceof List) {
          throw new IllegalArgumentException(at + ".command: expected a list of arguments");
        }
        command.add(String.valueOf(p));
      }
    } else if (c != null) {
      throw new IllegalArgumentException(
          at + ".command: expected a list of arguments, e.g. [/opt/miner/bin/bmminer, --api]");
    }
    String unit = text(m, "systemd_unit", null, at + ".systemd_unit");
    try {
      return new WorkloadSettings.Launch(command, unit, text(m, "api", null, at + ".api"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(at + ": " + e.getMessage(), e);
    }
  }

  private static String text(Map<?, ?> m, String key, String fallback, String at) {
    Object v = m.get(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Map || v instanceof List) {
      throw new IllegalArgumentException(at + ": expected a single value");
    }
    return String.valueOf(v);
  }

  private static long number(Map<?, ?> m, String key, long fallback) {
    Object v = m.get(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Number n && n.doubleValue() == n.longValue() && n.longValue() > 0) {
      return n.longValue();
    }
    throw new IllegalArgumentException(
        "workloads." + key + ": expected a positive whole number, got '" + v + "'");
  }
}
