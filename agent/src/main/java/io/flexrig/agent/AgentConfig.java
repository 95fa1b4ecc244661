package io.flexrig.agent;

import com.pi4j.context.Context;
import io.flexrig.agent.door.AgentApiSettings;
import io.flexrig.agent.scada.ScadaSettings;
import io.flexrig.agent.source.opcua.OpcUaSecurity;
import io.flexrig.agent.time.SteadyClock;
import io.flexrig.agent.uplink.ClientTls;
import io.flexrig.agent.workload.WorkloadSettings;
import io.flexrig.core.profile.HardwareProfile;
import io.flexrig.metricshttp.MetricsSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Everything one rig's agent needs.
 *
 * @param rigId the rig's id, unique within the controller
 * @param siteId the site the rig draws power from
 * @param profile the rig model's hardware profile
 * @param controllerTarget {@code host:port} of the controller's FleetService
 * @param plaintext no TLS to the controller: development only (the controller accepts it on
 *     loopback only)
 * @param opcUaEndpointUrl the site's OPC UA server (meter, PDU), or null when the rig has none
 * @param opcUaSecurity how the OPC UA channel is secured: None (labs) or Basic256Sha256 with the
 *     agent's certificate and a trust list of server certificates
 * @param sensorAddressOverrides addresses replacing the profile's, by sensor role (e.g. this rig's
 *     outlet on the PDU, its miner's IP)
 * @param telemetryInterval how often a sample is taken and sent
 * @param i2cProviderId Pi4J I2C provider: {@code linuxfs-i2c} on a board, {@code flexrig-sim-i2c}
 *     with the simulator
 * @param pi4j supplies the Pi4J context for I2C sensors (called once, when the first is opened; the
 *     agent shuts that context down when it closes); null when the rig has no I2C sensors
 * @param clock the agent's clock
 * @param outboxCapacity most unacknowledged samples kept in memory
 * @param maxReconnectBackoff longest wait between reconnects to the controller
 * @param commandGrace how long after a command's deadline the target may still be reached
 * @param outboxFile the durable outbox (SQLite) for unacknowledged samples; null keeps them in
 *     memory ({@code outboxCapacity} samples, lost on restart)
 * @param outboxBudgetBytes most bytes of samples the durable outbox keeps before it drops the
 *     oldest (with a counter and an alarm)
 * @param tls mutual TLS to the controller (this rig's certificate, key, the site CA); required
 *     unless {@code plaintext}
 * @param stateDir where the agent keeps what must survive a restart (the command journal); null
 *     keeps nothing (tests)
 * @param agentApi how to serve {@code AgentService} (the dial-in door); null: not served
 * @param scada how to serve the rig to a site's SCADA over OPC UA; null: not served
 * @param metrics where to serve Prometheus {@code /metrics}; null (the default): not served
 * @param workloads which of the profile's workloads the agent runs and how; {@link
 *     WorkloadSettings#NONE} (the firmware runs them) when null
 */
public record AgentConfig(
    String rigId,
    String siteId,
    HardwareProfile profile,
    String controllerTarget,
    boolean plaintext,
    String opcUaEndpointUrl,
    OpcUaSecurity opcUaSecurity,
    Map<String, String> sensorAddressOverrides,
    Duration telemetryInterval,
    String i2cProviderId,
    Supplier<Context> pi4j,
    Clock clock,
    int outboxCapacity,
    Duration maxReconnectBackoff,
    Duration commandGrace,
    ClientTls tls,
    Path outboxFile,
    long outboxBudgetBytes,
    Path stateDir,
    AgentApiSettings agentApi,
    ScadaSettings scada,
    MetricsSettings metrics,
    WorkloadSettings workloads) {

  public AgentConfig {
    requireText(rigId, "rig_id");
    requireText(siteId, "site_id");
    Objects.requireNonNull(profile, "profile");
    requireText(controllerTarget, "controller");
    Objects.requireNonNull(opcUaSecurity, "opcUaSecurity");
    sensorAddressOverrides = Map.copyOf(sensorAddressOverrides);
    workloads = workloads == null ? WorkloadSettings.NONE : workloads;
    Objects.requireNonNull(telemetryInterval, "telemetryInterval");
    if (telemetryInterval.isZero() || telemetryInterval.isNegative()) {
      throw new IllegalArgumentException(
          "telemetry interval must be positive: " + telemetryInterval);
    }
    if (outboxCapacity < 1) {
      throw new IllegalArgumentException("outbox capacity must be positive: " + outboxCapacity);
    }
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(maxReconnectBackoff, "maxReconnectBackoff");
    Objects.requireNonNull(commandGrace, "commandGrace");
    if (outboxFile != null && outboxBudgetBytes < 1024) {
      throw new IllegalArgumentException(
          "outbox disk budget must be at least 1024 bytes: " + outboxBudgetBytes);
    }
    if (plaintext == (tls != null)) {
      throw new IllegalArgumentException(
          plaintext
              ? "choose plaintext (development) or TLS, not both"
              : "tls_cert, tls_key and tls_ca are required unless plaintext (development)");
    }
  }

  private static void requireText(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " is required");
    }
  }

  /** 64 MiB: about a week of 1 Hz samples with their readings. */
  public static final long DEFAULT_OUTBOX_BUDGET_BYTES = 64L << 20;

  /** A config with the defaults: 1 s telemetry, linuxfs I2C, 1 h of samples in memory. */
  public static Builder builder(
      String rigId, String siteId, HardwareProfile profile, String controllerTarget) {
    return new Builder(rigId, siteId, profile, controllerTarget);
  }

  /** Builds an {@link AgentConfig} with defaults for what is not set. */
  public static final class Builder {
    private final String rigId;
    private final String siteId;
    private final HardwareProfile profile;
    private final String controllerTarget;
    private boolean plaintext = true;
    private ClientTls tls;
    private Path outboxFile;
    private long outboxBudgetBytes = DEFAULT_OUTBOX_BUDGET_BYTES;
    private String opcUaEndpointUrl;
    private OpcUaSecurity opcUaSecurity = OpcUaSecurity.NONE;
    private Map<String, String> overrides = Map.of();
    private Duration telemetryInterval = Duration.ofSeconds(1);
    private String i2cProviderId = "linuxfs-i2c";
    private Supplier<Context> pi4j;
    // Steps of the board's wall clock must not move held commands' expiries (see SteadyClock).
    private Clock clock = SteadyClock.system();
    private int outboxCapacity = 3600;
    private Duration maxReconnectBackoff = Duration.ofSeconds(30);
    private Duration commandGrace = Duration.ofSeconds(30);
    private Path stateDir;
    private AgentApiSettings agentApi;
    private ScadaSettings scada;
    private MetricsSettings metrics;
    private WorkloadSettings workloads = WorkloadSettings.NONE;

    private Builder(String rigId, String siteId, HardwareProfile profile, String controllerTarget) {
      this.rigId = rigId;
      this.siteId = siteId;
      this.profile = profile;
      this.controllerTarget = controllerTarget;
    }

    public Builder plaintext(boolean v) {
      plaintext = v;
      return this;
    }

    /** Keeps unacknowledged samples in an SQLite file within a disk budget. */
    public Builder durableOutbox(Path file, long budgetBytes) {
      outboxFile = file;
      outboxBudgetBytes = budgetBytes;
      return this;
    }

    /** Mutual TLS to the controller (turns plaintext off). */
    public Builder tls(ClientTls v) {
      tls = v;
      if (v != null) {
        plaintext = false;
      }
      return this;
    }

    public Builder opcUaEndpointUrl(String v) {
      opcUaEndpointUrl = v;
      return this;
    }

    /** OPC UA security; None unless set. */
    public Builder opcUaSecurity(OpcUaSecurity v) {
      opcUaSecurity = v;
      return this;
    }

    public Builder sensorAddressOverrides(Map<String, String> v) {
      overrides = v;
      return this;
    }

    public Builder telemetryInterval(Duration v) {
      telemetryInterval = v;
      return this;
    }

    public Builder i2cProviderId(String v) {
      i2cProviderId = v;
      return this;
    }

    public Builder pi4j(Supplier<Context> v) {
      pi4j = v;
      return this;
    }

    public Builder clock(Clock v) {
      clock = v;
      return this;
    }

    public Builder outboxCapacity(int v) {
      outboxCapacity = v;
      return this;
    }

    public Builder maxReconnectBackoff(Duration v) {
      maxReconnectBackoff = v;
      return this;
    }

    public Builder commandGrace(Duration v) {
      commandGrace = v;
      return this;
    }

    public Builder stateDir(Path v) {
      stateDir = v;
      return this;
    }

    /** Serves {@code AgentService}; null (the default) does not. */
    public Builder agentApi(AgentApiSettings v) {
      agentApi = v;
      return this;
    }

    /** Serves the rig over OPC UA for a site's SCADA; null (the default) does not. */
    public Builder scada(ScadaSettings v) {
      scada = v;
      return this;
    }

    /** Serves Prometheus {@code /metrics}; null (the default) does not. */
    public Builder metrics(MetricsSettings v) {
      metrics = v;
      return this;
    }

    /** Which workloads the agent supervises; none (the default) leaves them to the firmware. */
    public Builder workloads(WorkloadSettings v) {
      workloads = v;
      return this;
    }

    public AgentConfig build() {
      return new AgentConfig(
          rigId,
          siteId,
          profile,
          controllerTarget,
          plaintext,
          opcUaEndpointUrl,
          opcUaSecurity,
          overrides,
          telemetryInterval,
          i2cProviderId,
          pi4j,
          clock,
          outboxCapacity,
          maxReconnectBackoff,
          commandGrace,
          tls,
          outboxFile,
          outboxBudgetBytes,
          stateDir,
          agentApi,
          scada,
          metrics,
          workloads);
    }
  }
}
