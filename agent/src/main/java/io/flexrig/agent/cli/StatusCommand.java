package io.flexrig.agent.cli;

import io.flexrig.agent.status.StatusFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code flexrig-agent status [--json] [CONFIG]}: the running agent's state, read from the status
 * file it keeps in its state directory. A file rather than a call to the AgentService door: the
 * door is off by default and needs a site certificate with the controller role, while the file
 * needs only read access to {@code /var/lib/flexrig} and still tells, with its age, what the rig
 * was doing when the agent stopped.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Shows the running agent's state from <state_dir>/status.json (written every 10 s and",
      "at every change). Exit code 3 when there is none or it is older than 30 s."
    })
final class StatusCommand implements Callable<Integer> {
  /** Three missed writes: the agent is not running, or its control thread is stuck. */
  static final Duration STALE_AFTER = StatusFile.EVERY.multipliedBy(3);

  static final String FILE_NAME = "status.json";

  @Spec CommandSpec spec;

  @Option(names = "--json", description = "print the status file as it is")
  boolean json;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description = "the agent's state directory (default: state_dir of CONFIG)")
  Path stateDir;

  @Parameters(
      arity = "0..1",
      paramLabel = "CONFIG",
      defaultValue = FlexrigAgentCommand.DEFAULT_CONFIG,
      description = "the rig's agent.yaml (default: ${DEFAULT-VALUE})")
  Path config;

  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path dir = stateDir;
    if (dir == null) {
      try {
        dir = stateDirOf(config);
      } catch (IOException e) {
        err.println(e.getMessage());
        return FlexrigAgentCommand.CONFIG;
      }
    }
    Path file = dir.resolve(FILE_NAME);
    String text;
    Map<String, Object> status;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
      status = StatusFile.read(file);
    } catch (NoSuchFileException e) {
      err.println(
          "no status at "
              + file
              + ": the agent has not run with this state directory"
              + " (systemctl status flexrig-agent; journalctl -u flexrig-agent)");
      return FlexrigAgentCommand.NOT_RUNNING;
    } catch (IOException e) {
      err.println("cannot read " + file + ": " + e.getMessage());
      return FlexrigAgentCommand.NOT_RUNNING;
    }
    Duration age;
    try {
      age =
          Duration.between(
              Instant.parse(String.valueOf(status.get("written_at"))), clock.instant());
    } catch (DateTimeParseException e) {
      err.println(file + ": no valid written_at");
      return FlexrigAgentCommand.NOT_RUNNING;
    }
    boolean stale = age.compareTo(STALE_AFTER) > 0;
    if (json) {
      out.print(text);
    } else {
      out.print(table(status, age));
    }
    if (stale) {
      err.println(
          "STALE: the status was written "
              + ago(age)
              + ": the agent is not running or is stuck (systemctl status flexrig-agent)");
      return FlexrigAgentCommand.NOT_RUNNING;
    }
    return FlexrigAgentCommand.OK;
  }

  /** Only {@code state_dir} is read, so status works even when the profile no longer loads. */
  static Path stateDirOf(Path config) throws IOException {
    Object root;
    try (Reader r = Files.newBufferedReader(config, StandardCharsets.UTF_8)) {
      root = new Load(LoadSettings.builder().setLabel(config.toString()).build()).loadFromReader(r);
    } catch (NoSuchFileException e) {
      throw new IOException(
          "no configuration at " + config + " (flexrig-agent run explains what goes there)", e);
    } catch (YamlEngineException e) {
      throw new IOException(config + ": not valid YAML: " + e.getMessage(), e);
    }
    if (!(root instanceof Map<?, ?> map) || map.get("state_dir") == null) {
      throw new IOException(
          config + ": state_dir: not set, so the agent keeps no status file (give --state-dir)");
    }
    return config.toAbsolutePath().getParent().resolve(String.valueOf(map.get("state_dir")));
  }

  private static String table(Map<String, Object> s, Duration age) {
    Map<String, Object> c = map(s.get("curtailment"));
    Map<String, Object> safety = map(s.get("safety"));
    Map<String, Object> link = map(s.get("link"));
    StringBuilder b = new StringBuilder(1024);
    row(b, "rig", s.get("rig_id") + " (site " + s.get("site_id") + "), " + s.get("model"));
    row(b, "profile", s.get("profile"));
    row(
        b,
        "agent",
        s.get("agent_version")
            + ", pid "
            + s.get("pid")
            + ", started "
            + s.get("started_at")
            + ", status written "
            + ago(age));
    Map<String, Object> power = map(s.get("input_power_w"));
    row(
        b,
        "power",
        number(power.get("value"), "W")
            + " ("
            + power.get("quality")
            + (blank(power.get("source")) ? "" : ", " + power.get("source"))
            + "), target "
            + number(s.get("power_target_w"), "W"));
    Map<String, Object> hashrate = map(s.get("hashrate_ths"));
    row(
        b,
        "hashrate",
        number(hashrate.get("value"), "TH/s") + " (" + hashrate.get("quality") + ")");
    Map<String, Object> chip = map(s.get("chip_temp_max_c"));
    row(b, "chip temp", number(chip.get("value"), "°C") + " (" + chip.get("quality") + ")");
    row(b, "workload", s.get("workload_state"));
    String curtailment = String.valueOf(c.get("mode"));
    if (!blank(c.get("command_id"))) {
      curtailment +=
          ", command "
              + c.get("command_id")
              + ", setpoint "
              + number(c.get("setpoint_w"), "W")
              + (Boolean.TRUE.equals(c.get("clamped")) ? " (clamped)" : "")
              + ", deadline "
              + c.get("deadline")
              + ", until "
              + c.get("expires_at");
    }
    row(b, "curtailment", curtailment);
    String envelope =
        "ceiling "
            + number(safety.get("ceiling_w"), "W")
            + " of "
            + number(safety.get("max_power_w"), "W")
            + (Boolean.TRUE.equals(safety.get("cut")) ? ", CUT" : "")
            + (blank(safety.get("reason")) ? "" : ", " + safety.get("reason"))
            + (blank(safety.get("last_alarm"))
                ? ""
                : ", last alarm "
                    + safety.get("last_alarm")
                    + " at "
                    + safety.get("last_alarm_at"));
    row(b, "safety", envelope);
    row(
        b,
        "controller",
        link.get("controller")
            + (Boolean.TRUE.equals(link.get("connected")) ? " connected" : " NOT connected")
            + ", outbox "
            + link.get("outbox_depth")
            + " samples");
    return b.toString();
  }

  private static void row(StringBuilder b, String name, Object value) {
    b.append(String.format(Locale.ROOT, "%-12s %s%n", name, value));
  }

  private static String number(Object v, String unit) {
    return v instanceof Number n
        ? String.format(Locale.ROOT, "%.1f %s", n.doubleValue(), unit)
        : "-";
  }

  private static boolean blank(Object v) {
    return v == null || String.valueOf(v).isBlank();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object v) {
    return v instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static String ago(Duration age) {
    long s = Math.max(0, age.toSeconds());
    return s < 120 ? s + " s ago" : s < 7200 ? s / 60 + " min ago" : s / 3600 + " h ago";
  }
}
