package io.flexrig.agent.status;

import io.flexrig.agent.sampler.Measurement;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * {@code <state_dir>/status.json}: the running agent's status for {@code flexrig-agent status}.
 * Written whole to a temporary file and renamed over the old one, so a reader never sees half a
 * file; at most every {@link #EVERY} and at once when the mode, command, safety state or link
 * changes, so an SD card is not written once per sample.
 */
public final class StatusFile {
  private static final Logger log = LoggerFactory.getLogger(StatusFile.class);

  /** How often an unchanged status is written again (its age tells a reader the agent is alive). */
  public static final Duration EVERY = Duration.ofSeconds(10);

  private final Path file;
  private Instant lastWrittenAt;
  private String lastKey;
  private boolean warned;

  public StatusFile(Path file) {
    this.file = Objects.requireNonNull(file, "file");
  }

  public Path path() {
    return file;
  }

  /** Writes the status when it changed in substance or the last write is {@link #EVERY} old. */
  public synchronized void offer(RigStatus status) {
    String key = key(status);
    if (lastWrittenAt != null
        && key.equals(lastKey)
        && Duration.between(lastWrittenAt, status.at()).compareTo(EVERY) < 0) {
      return;
    }
    try {
      write(status);
      lastWrittenAt = status.at();
      lastKey = key;
      warned = false;
    } catch (IOException e) {
      if (!warned) {
        log.warn("event=status_file_unwritable file={} reason={}", file, e.toString());
        warned = true;
      }
    }
  }

  private static String key(RigStatus s) {
    return s.curtailment().mode()
        + '|'
        + s.curtailment().commandId()
        + '|'
        + s.workloadState()
        + '|'
        + s.safety().cut()
        + '|'
        + s.safety().reason()
        + '|'
        + s.link().connected();
  }

  private void write(RigStatus status) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, json(status, ProcessHandle.current().pid()), StandardCharsets.UTF_8);
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** The status as one JSON object (field names as in agent.yaml: lower case with underscores). */
  public static String json(RigStatus s, long pid) {
    RigStatus.Identity id = s.identity();
    RigStatus.Curtailment c = s.curtailment();
    RigStatus.Safety safety = s.safety();
    RigStatus.Link link = s.link();
    StringBuilder b = new StringBuilder(1024);
    b.append("{\n");
    field(b, "written_at", s.at()).append(",\n");
    field(b, "pid", pid).append(",\n");
    field(b, "rig_id", id.rigId()).append(",\n");
    field(b, "site_id", id.siteId()).append(",\n");
    field(b, "profile", id.profileId()).append(",\n");
    field(b, "model", id.vendor() + " " + id.model()).append(",\n");
    field(b, "agent_version", id.agentVersion()).append(",\n");
    field(b, "started_at", id.startedAt()).append(",\n");
    field(b, "sampled_at", s.snapshot().sampledAt()).append(",\n");
    measurement(b, "input_power_w", s.snapshot().powerW()).append(",\n");
    field(b, "power_target_w", s.powerTargetW()).append(",\n");
    measurement(b, "hashrate_ths", s.snapshot().hashrateThs()).append(",\n");
    measurement(b, "chip_temp_max_c", s.snapshot().chipTempMaxC()).append(",\n");
    field(b, "workload_state", s.workloadState()).append(",\n");
    b.append("  \"curtailment\": {");
    field(b.append(' '), "mode", c.mode()).append(", ");
    field(b, "command_id", c.commandId()).append(", ");
    field(b, "setpoint_w", c.setpointW()).append(", ");
    field(b, "deadline", c.deadline()).append(", ");
    field(b, "expires_at", c.expiresAt()).append(", ");
    field(b, "clamped", c.clamped()).append(" },\n");
    b.append("  \"safety\": {");
    field(b.append(' '), "ceiling_w", safety.ceilingW()).append(", ");
    field(b, "max_power_w", safety.limits().maxPowerW()).append(", ");
    field(b, "cut", safety.cut()).append(", ");
    field(b, "reason", safety.reason()).append(", ");
    field(b, "last_alarm", safety.lastAlarm()).append(", ");
    field(b, "last_alarm_at", safety.lastAlarmAt()).append(" },\n");
    b.append("  \"link\": {");
    field(b.append(' '), "controller", link.controller()).append(", ");
    field(b, "connected", link.connected()).append(", ");
    field(b, "outbox_depth", link.outboxDepth()).append(" }\n");
    return b.append("}\n").toString();
  }

  /**
   * Reads a status file back as a map of its fields (nested objects as maps).
   *
   * @throws IOException when the file is missing, unreadable or not a JSON object
   */
  public static Map<String, Object> read(Path file) throws IOException {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      Object root =
          new Load(LoadSettings.builder().setLabel(file.toString()).build()).loadFromReader(r);
      if (root instanceof Map<?, ?> map) {
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) map;
        return fields;
      }
      throw new IOException(file + ": not a status object");
    } catch (YamlEngineException e) {
      throw new IOException(file + ": not valid JSON: " + e.getMessage(), e);
    }
  }

  private static StringBuilder measurement(StringBuilder b, String name, Measurement m) {
    b.append("  \"").append(name).append("\": {");
    field(b.append(' '), "value", m.value()).append(", ");
    field(b, "quality", m.quality().name()).append(", ");
    return field(b, "source", m.source()).append(" }");
  }

  private static StringBuilder field(StringBuilder b, String name, Object value) {
    if (b.length() > 0 && b.charAt(b.length() - 1) == '\n') {
      b.append("  ");
    }
    b.append('"').append(name).append("\": ");
    switch (value) {
      case null -> b.append("null");
      case Double d when !Double.isFinite(d) -> b.append("null");
      case Double d -> b.append(String.format(Locale.ROOT, "%.3f", d));
      case Number n -> b.append(n);
      case Boolean bool -> b.append(bool);
      default -> quote(b, value.toString());
    }
    return b;
  }

  private static void quote(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (ch < 0x20) {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
          } else {
            b.append(ch);
          }
        }
      }
    }
    b.append('"');
  }
}
