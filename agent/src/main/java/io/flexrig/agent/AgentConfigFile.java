package io.flexrig.agent;

import com.pi4j.Pi4J;
import io.flexrig.agent.door.AgentApiSettings;
import io.flexrig.agent.scada.ScadaSettings;
import io.flexrig.agent.source.opcua.OpcUaSecurity;
import io.flexrig.agent.uplink.ClientTls;
import io.flexrig.core.profile.HardwareProfile;
import io.flexrig.core.profile.ProfileException;
import io.flexrig.core.profile.ProfileLoader;
import io.flexrig.metricshttp.MetricsSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads {@code agent.yaml} (see {@code src/main/dist/agent.yaml}) into an {@link AgentConfig}.
 * Errors name the file and the field. A relative profile path is resolved against the config file's
 * directory.
 */
public final class AgentConfigFile {
  private static final Set<String> FIELDS =
      Set.of(
          "rig_id",
          "site_id",
          "profile",
          "controller",
          "plaintext",
          "tls_cert",
          "tls_key",
          "tls_ca",
          "outbox_file",
          "outbox_budget_mb",
          "opcua_endpoint",
          "opcua_security",
          "opcua_cert",
          "opcua_key",
          "opcua_trust_dir",
          "telemetry_interval_ms",
          "i2c_provider",
          "sensors",
          "outbox_capacity",
          "max_reconnect_backoff_ms",
          "command_grace_s",
          "state_dir",
          "agent_api_port",
          "agent_api_bind",
          "agent_api_plaintext",
          "agent_api_tls_cert",
          "agent_api_tls_key",
          "agent_api_client_ca",
          "opcua_server_port",
          "opcua_server_bind",
          "opcua_server_hostname",
          "opcua_server_security",
          "opcua_server_cert",
          "opcua_server_key",
          "opcua_server_trust_dir",
          "opcua_server_allow_none",
          "metrics_port",
          "metrics_bind",
          "workloads");

  private AgentConfigFile() {}

  /** Thrown when the file is unreadable or invalid; the message names file and field. */
  public static final class InvalidConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidConfigException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  public static AgentConfig load(Path file) throws InvalidConfigException {
    Object root;
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      root = new Load(LoadSettings.builder().setLabel(file.toString()).build()).loadFromReader(r);
    } catch (IOException e) {
      throw new InvalidConfigException(file + ": cannot read: " + e.getMessage(), e);
    } catch (YamlEngineException e) {
      throw new InvalidConfigException(file + ": not valid YAML: " + e.getMessage(), e);
    }
    if (!(root instanceof Map<?, ?> map)) {
      throw new InvalidConfigException(file + ": expected a mapping of settings", null);
    }
    Fields f = new Fields(file, map);
    for (Object key : map.keySet()) {
      if (!FIELDS.contains(String.valueOf(key))) {
        throw f.error(String.valueOf(key), "unknown setting (known: " + FIELDS + ")");
      }
    }
    Path profilePath = file.toAbsolutePath().getParent().resolve(f.text("profile", null));
    HardwareProfile profile;
    try {
      profile = ProfileLoader.load(profilePath);
    } catch (ProfileException e) {
      throw new InvalidConfigException(file + ": profile: " + e.getMessage(), e);
    }
    String provider = f.text("i2c_provider", "linuxfs-i2c");
    String state = f.text("state_dir", "");
    Path stateDir = state == null ? null : file.toAbsolutePath().getParent().resolve(state);
    boolean hasI2c =
        profile.sensors().stream().anyMatch(s -> usesPi4j(s.address()))
            || f.sensors().values().stream().anyMatch(AgentConfigFile::usesPi4j);
    ClientTls tls = null;
    if (map.containsKey("tls_cert") || map.containsKey("tls_key") || map.containsKey("tls_ca")) {
      Path dir = file.toAbsolutePath().getParent();
      tls =
          new ClientTls(
              dir.resolve(f.text("tls_cert", null)),
              dir.resolve(f.text("tls_key", null)),
              dir.resolve(f.text("tls_ca", null)));
      if (f.bool("plaintext", false)) {
        throw f.error("plaintext", "must not be true with tls_cert/tls_key/tls_ca");
      }
    }
    OpcUaSecurity opcUaSecurity = opcUaSecurity(file, f);
    try {
      return AgentConfig.builder(
              f.text("rig_id", null), f.text("site_id", null), profile, f.text("controller", null))
          .plaintext(tls == null && f.bool("plaintext", true))
          .tls(tls)
          .durableOutbox(
              map.containsKey("outbox_file")
                  ? file.toAbsolutePath().getParent().resolve(f.text("outbox_file", null))
                  : null,
              f.number("outbox_budget_mb", AgentConfig.DEFAULT_OUTBOX_BUDGET_BYTES >> 20) << 20)
          .opcUaEndpointUrl(f.text("opcua_endpoint", ""))
          .opcUaSecurity(opcUaSecurity)
          .telemetryInterval(Duration.ofMillis(f.number("telemetry_interval_ms", 1000)))
          .i2cProviderId(provider)
          .pi4j(hasI2c ? Pi4J::newAutoContext : null)
          .sensorAddressOverrides(f.sensors())
          .outboxCapacity((int) f.number("outbox_capacity", 3600))
          .maxReconnectBackoff(Duration.ofMillis(f.number("max_reconnect_backoff_ms", 30_000)))
          .commandGrace(Duration.ofSeconds(f.number("command_grace_s", 30)))
          .stateDir(stateDir)
          .agentApi(agentApi(file, map, f))
          .scada(scada(file, f))
          .metrics(metrics(map, f))
          .workloads(io.flexrig.agent.workload.WorkloadSettingsYaml.parse(map.get("workloads")))
          .build();
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * {@code opcua_security: none} (the default) or {@code basic256sha256} with {@code opcua_cert},
   * {@code opcua_key} (PEM) and {@code opcua_trust_dir}; paths relative to the config file.
   */
  private static OpcUaSecurity opcUaSecurity(Path file, Fields f) throws InvalidConfigException {
    OpcUaSecurity.Mode mode;
    try {
      mode = OpcUaSecurity.Mode.parse(f.text("opcua_security", "none"));
    } catch (IllegalArgumentException e) {
      throw f.error("opcua_security", e.getMessage());
    }
    if (mode == OpcUaSecurity.Mode.NONE) {
      for (String field : List.of("opcua_cert", "opcua_key", "opcua_trust_dir")) {
        if (f.map().containsKey(field)) {
          throw f.error(field, "only used with opcua_security: basic256sha256");
        }
      }
      return OpcUaSecurity.NONE;
    }
    Path dir = file.toAbsolutePath().getParent();
    Path cert = dir.resolve(f.text("opcua_cert", null));
    Path key = dir.resolve(f.text("opcua_key", null));
    Path trust = dir.resolve(f.text("opcua_trust_dir", null));
    try {
      return OpcUaSecurity.basic256Sha256(cert, key, trust);
    } catch (IOException e) {
      throw new InvalidConfigException(file + ": opcua_security: " + e.getMessage(), e);
    }
  }

  /**
   * The OPC UA server for a site's SCADA: served only when {@code opcua_server_port} is set; None
   * on loopback unless {@code opcua_server_security: basic256sha256} (with {@code
   * opcua_server_cert}, {@code opcua_server_key}, {@code opcua_server_trust_dir}) or {@code
   * opcua_server_allow_none: true}.
   */
  private static ScadaSettings scada(Path file, Fields f) throws InvalidConfigException {
    if (!f.map().containsKey("opcua_server_port")) {
      for (Object key : f.map().keySet()) {
        if (String.valueOf(key).startsWith("opcua_server_")) {
          throw f.error(String.valueOf(key), "only used with opcua_server_port");
        }
      }
      return null;
    }
    long port = f.number("opcua_server_port", ScadaSettings.DEFAULT_PORT);
    if (port > 65535) {
      throw f.error("opcua_server_port", "must be a TCP port (1-65535), got " + port);
    }
    OpcUaSecurity.Mode mode;
    try {
      mode = OpcUaSecurity.Mode.parse(f.text("opcua_server_security", "none"));
    } catch (IllegalArgumentException e) {
      throw f.error("opcua_server_security", e.getMessage());
    }
    OpcUaSecurity security = OpcUaSecurity.NONE;
    if (mode == OpcUaSecurity.Mode.BASIC256SHA256) {
      Path dir = file.toAbsolutePath().getParent();
      try {
        security =
            OpcUaSecurity.basic256Sha256(
                dir.resolve(f.text("opcua_server_cert", null)),
                dir.resolve(f.text("opcua_server_key", null)),
                dir.resolve(f.text("opcua_server_trust_dir", null)));
      } catch (IOException e) {
        throw new InvalidConfigException(file + ": opcua_server_security: " + e.getMessage(), e);
      }
    } else {
      for (String field :
          List.of("opcua_server_cert", "opcua_server_key", "opcua_server_trust_dir")) {
        if (f.map().containsKey(field)) {
          throw f.error(field, "only used with opcua_server_security: basic256sha256");
        }
      }
    }
    try {
      return new ScadaSettings(
          (int) port,
          f.text("opcua_server_bind", ScadaSettings.DEFAULT_BIND),
          f.text("opcua_server_hostname", ""),
          security,
          f.bool("opcua_server_allow_none", false));
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException(file + ": " + e.getMessage(), e);
    }
  }

  /** The AgentService door: served only when {@code agent_api_port} is set. */
  private static AgentApiSettings agentApi(Path file, Map<?, ?> map, Fields f)
      throws InvalidConfigException {
    if (!map.containsKey("agent_api_port")) {
      return null;
    }
    long port = f.number("agent_api_port", 0);
    if (port > 65535) {
      throw f.error("agent_api_port", "must be a TCP port (1-65535), got " + port);
    }
    String bind = f.text("agent_api_bind", AgentApiSettings.DEFAULT_BIND);
    if (f.bool("agent_api_plaintext", false)) {
      return new AgentApiSettings((int) port, bind, true, null, null, null);
    }
    Path dir = file.toAbsolutePath().getParent();
    return AgentApiSettings.mutualTls(
        (int) port,
        bind,
        dir.resolve(f.text("agent_api_tls_cert", null)),
        dir.resolve(f.text("agent_api_tls_key", null)),
        dir.resolve(f.text("agent_api_client_ca", null)));
  }

  /**
   * Prometheus {@code /metrics}: served only when {@code metrics_port} is set; loopback default.
   */
  private static MetricsSettings metrics(Map<?, ?> map, Fields f) throws InvalidConfigException {
    if (!map.containsKey("metrics_port")) {
      if (map.containsKey("metrics_bind")) {
        throw f.error("metrics_bind", "only used with metrics_port");
      }
      return null;
    }
    long port = f.number("metrics_port", 0);
    if (port > 65535) {
      throw f.error("metrics_port", "must be a TCP port (1-65535), got " + port);
    }
    return new MetricsSettings(f.text("metrics_bind", MetricsSettings.DEFAULT_BIND), (int) port);
  }

  private static boolean usesPi4j(String address) {
    return address.startsWith("i2c:") || address.startsWith("spi:") || address.startsWith("gpio:");
  }

  private record Fields(Path file, Map<?, ?> map) {
    InvalidConfigException error(String field, String message) {
      return new InvalidConfigException(file + ": " + field + ": " + message, null);
    }

    String text(String field, String fallback) throws InvalidConfigException {
      Object v = map.get(field);
      if (v == null) {
        if (fallback == null) {
          throw error(field, "required");
        }
        return fallback.isEmpty() ? null : fallback;
      }
      if (v instanceof Map || v instanceof List) {
        throw error(field, "expected a single value");
      }
      return String.valueOf(v);
    }

    long number(String field, long fallback) throws InvalidConfigException {
      Object v = map.get(field);
      if (v == null) {
        return fallback;
      }
      if (v instanceof Number n && n.doubleValue() == n.longValue() && n.longValue() > 0) {
        return n.longValue();
      }
      throw error(field, "expected a positive whole number, got '" + v + "'");
    }

    boolean bool(String field, boolean fallback) throws InvalidConfigException {
      Object v = map.get(field);
      if (v == null) {
        return fallback;
      }
      if (v instanceof Boolean b) {
        return b;
      }
      throw error(field, "expected true or false, got '" + v + "'");
    }

    Map<String, String> sensors() throws InvalidConfigException {
      Object v = map.get("sensors");
      if (v == null) {
        return Map.of();
      }
      if (!(v instanceof Map<?, ?> m)) {
        throw error("sensors", "expected a mapping of role: address");
      }
      Map<String, String> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!(e.getValue() instanceof String address)) {
          throw error("sensors." + e.getKey(), "expected an address string");
        }
        out.put(String.valueOf(e.getKey()), address);
      }
      return out;
    }
  }
}
