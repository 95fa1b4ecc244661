package io.flexrig.agent;

import com.pi4j.context.Context;
import io.flexrig.agent.control.CommandAck;
import io.flexrig.agent.control.CommandExecutor;
import io.flexrig.agent.control.CommandJournal;
import io.flexrig.agent.control.CurtailmentCommand;
import io.flexrig.agent.control.FrequencyResponder;
import io.flexrig.agent.control.RigMode;
import io.flexrig.agent.control.SafetyEnvelope;
import io.flexrig.agent.control.WorkloadKnobs;
import io.flexrig.agent.door.AgentApiServer;
import io.flexrig.agent.door.AgentServiceImpl;
import io.flexrig.agent.door.CommandLedger;
import io.flexrig.agent.door.TelemetryFeed;
import io.flexrig.agent.journal.FileCommandJournal;
import io.flexrig.agent.metrics.RigMetrics;
import io.flexrig.agent.outbox.SqliteOutbox;
import io.flexrig.agent.safety.SafetyAlarm;
import io.flexrig.agent.safety.SafetyLoop;
import io.flexrig.agent.sampler.RigSnapshot;
import io.flexrig.agent.sampler.Sampler;
import io.flexrig.agent.scada.RigOpcUaServer;
import io.flexrig.agent.scada.ScadaPublisher;
import io.flexrig.agent.source.InvalidAddressException;
import io.flexrig.agent.source.PolledSource;
import io.flexrig.agent.source.Quality;
import io.flexrig.agent.source.Reading;
import io.flexrig.agent.source.Source;
import io.flexrig.agent.source.SourceAddress;
import io.flexrig.agent.source.SourceContext;
import io.flexrig.agent.source.SourceDrivers;
import io.flexrig.agent.source.StreamingSource;
import io.flexrig.agent.source.cgminer.CgminerDriver;
import io.flexrig.agent.source.cgminer.MinerControl;
import io.flexrig.agent.source.gpio.Pi4jGpio;
import io.flexrig.agent.source.i2c.Pi4jI2c;
import io.flexrig.agent.source.opcua.OpcUaDriver;
import io.flexrig.agent.source.opcua.OpcUaNodeAddress;
import io.flexrig.agent.source.opcua.OutletSwitch;
import io.flexrig.agent.source.spi.Pi4jSpi;
import io.flexrig.agent.status.RigStatus;
import io.flexrig.agent.status.StatusFile;
import io.flexrig.agent.time.SteadyClock;
import io.flexrig.agent.uplink.FleetMessages;
import io.flexrig.agent.uplink.FleetUplink;
import io.flexrig.agent.uplink.MemoryOutbox;
import io.flexrig.agent.uplink.TelemetryOutbox;
import io.flexrig.agent.uplink.UplinkSettings;
import io.flexrig.agent.workload.GpuPowerLimit;
import io.flexrig.agent.workload.RigWorkloads;
import io.flexrig.agent.workload.Workload;
import io.flexrig.core.profile.CurtailmentMethodKind;
import io.flexrig.core.profile.FrequencyResponse;
import io.flexrig.core.profile.SensorSpec;
import io.flexrig.metricshttp.MetricsEndpoint;
import io.flexrig.proto.v1.AgentHello;
import io.flexrig.proto.v1.Alarm;
import io.flexrig.proto.v1.AlarmSeverity;
import io.flexrig.proto.v1.Command;
import io.flexrig.proto.v1.RigIdentity;
import io.flexrig.proto.v1.TelemetrySample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One rig's agent: opens the sources its hardware profile names, samples them into snapshots,
 * executes the controller's commands and keeps the session with the controller. Lifecycle:
 * construct (validates), {@link #start()} (connections are retried, a missing sensor only degrades
 * the rig), {@link #close()}.
 */
public final class RigAgent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RigAgent.class);
  public static final String VERSION = "0.1.0";
  private static final int CONTROL_QUEUE = 256;

  /** Sensor-override key naming the rig's PDU outlet On switch, the RELAY_CUT knob. */
  public static final String OUTLET_SWITCH = "outlet_switch";

  private final AgentConfig config;
  private final Instant startedAt;
  private final SourceContext sources;
  private final Sampler sampler;
  private final TelemetryOutbox outbox;
  private volatile long lastOverflowAlarmMillis = Long.MIN_VALUE / 2;
  private final ExecutorService control;
  private final CommandExecutor executor;
  private final FileCommandJournal journal;
  private final SafetyLoop safety;
  private final FrequencyResponder frequency;
  private final FleetUplink uplink;
  private final RigWorkloads workloads;
  private final List<String> degraded = new ArrayList<>();
  private final java.util.Set<String> opcUaEndpoints = new java.util.HashSet<>();
  private final CommandLedger ledger;
  private final TelemetryFeed feed = new TelemetryFeed();
  private AgentApiServer agentApi;
  // SCADA (OPC UA) and the status file: fed from the control thread after every snapshot
  private volatile ScadaPublisher scada;
  private final StatusFile statusFile;
  private volatile Held held;
  private volatile SafetyAlarm lastSafetyAlarm;
  private volatile Instant lastSafetyAlarmAt;
  private MetricsEndpoint metrics;
  private final Supplier<Context> pi4j;
  private volatile boolean started;

  public RigAgent(AgentConfig config) {
    this.config = config;
    this.startedAt = config.clock().instant();
    SourceContext.Builder context =
        SourceContext.builder()
            .clock(config.clock())
            .opcUaEndpointUrl(config.opcUaEndpointUrl())
            .samplingInterval(config.telemetryInterval())
            .service(io.flexrig.agent.source.opcua.OpcUaSecurity.class, config::opcUaSecurity);
    if (config.pi4j() != null) {
      Supplier<Context> pi4j = memoize(config.pi4j());
      this.pi4j = pi4j;
      context.service(Pi4jI2c.class, () -> new Pi4jI2c(pi4j.get(), config.i2cProviderId()));
      // SPI and GPIO have no simulator provider: on a board they are Pi4J's Linux file-system ones.
      context.service(Pi4jSpi.class, () -> new Pi4jSpi(pi4j.get(), "linuxfs-spi"));
      context.service(Pi4jGpio.class, () -> Pi4jGpio.linuxfs(pi4j.get()));
    } else {
      this.pi4j = null;
    }
    this.sources = context.build();
    this.ledger = new CommandLedger(config.clock());
    this.statusFile =
        config.stateDir() == null ? null : new StatusFile(config.stateDir().resolve("status.json"));
    this.sampler = new Sampler(config.clock(), config.telemetryInterval());
    this.outbox =
        config.outboxFile() == null
            ? new MemoryOutbox(config.outboxCapacity(), 0)
            : SqliteOutbox.open(
                config.outboxFile(), config.outboxBudgetBytes(), this::outboxOverflowed);
    this.control =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(CONTROL_QUEUE),
            r -> {
              Thread t = new Thread(r, "control-" + config.rigId());
              t.setDaemon(true);
              return t;
            });
    this.uplink =
        new FleetUplink(
            new UplinkSettings(
                config.controllerTarget(),
                config.plaintext(),
                Duration.ofMillis(Math.min(250, config.maxReconnectBackoff().toMillis())),
                config.maxReconnectBackoff(),
                100,
                Duration.ofMinutes(5),
                config.tls()),
            outbox,
            this::hello,
            this::onCommand);
    if (config.clock() instanceof SteadyClock steady) {
      uplink.onControllerTime(steady::alignTo);
    }
    this.journal = openJournal(config);
    this.safety = SafetyLoop.forProfile(config.profile());
    FrequencyResponse fr = config.profile().frequencyResponse();
    this.frequency = fr == null ? null : new FrequencyResponder(fr);
    this.workloads =
        RigWorkloads.create(
            config.profile(),
            config.workloads(),
            gpuToolCommand(),
            config.stateDir(),
            config.clock(),
            this::reportResult,
            (warning, code, message) ->
                alarm(
                    warning
                        ? AlarmSeverity.ALARM_SEVERITY_WARNING
                        : AlarmSeverity.ALARM_SEVERITY_INFO,
                    code,
                    message));
    this.executor =
        new CommandExecutor(
            config.clock(),
            config.profile(),
            withSupplySwitch(workloads != null ? workloads : knobs()),
            journal != null ? journal : CommandJournal.NONE,
            frequency == null ? safety : SafetyEnvelope.strictest(safety, frequency),
            this::reportResult,
            config.commandGrace());
    if (workloads != null) {
      executor.workloadSwitcher(workloads);
    }
  }

  private void reportResult(io.flexrig.agent.control.CommandResult result) {
    uplink.send(FleetMessages.result(result));
    ledger.finished(FleetMessages.result(result));
  }

  /** Opens the sources and starts sampling and the controller session. */
  public synchronized void start() {
    if (started) {
      return;
    }
    started = true;
    SourceDrivers drivers = SourceDrivers.load();
    for (SensorSpec sensor : sensors()) {
      try {
        Source s = drivers.open(sensor, sources);
        switch (s) {
          case PolledSource p -> sampler.addPolled(p, interval(sensor), timeout(sensor));
          case StreamingSource st -> sampler.addStreaming(st);
        }
        if (s instanceof io.flexrig.agent.source.opcua.OpcUaNodeSource opc
            && opcUaEndpoints.add(opc.endpointUrl())) {
          opc.onStatusChange(this::opcUaStatusChanged);
        }
      } catch (InvalidAddressException e) {
        throw e; // a configuration error: fail fast
      } catch (IOException | RuntimeException e) {
        degraded.add(sensor.role());
        log.warn(
            "sensor '{}' ({}) unavailable: {}", sensor.role(), sensor.address(), e.getMessage());
      }
    }
    sampler.onSnapshot(this::onSnapshot);
    if (frequency != null) {
      executor.frequencyResponder(frequency);
      // react to each meter update as it streams in, not to the next snapshot
      sampler.onReading(RigSnapshot.GRID_FREQUENCY, this::onGridFrequency);
    }
    sampler.onSourceHealth(
        new Sampler.SourceHealthListener() {
          @Override
          public void sourceDown(String source, String reason) {
            alarm(AlarmSeverity.ALARM_SEVERITY_WARNING, "SOURCE_DOWN", source + ": " + reason);
          }

          @Override
          public void sourceUp(String source) {
            alarm(AlarmSeverity.ALARM_SEVERITY_INFO, "SOURCE_UP", source + " answers again");
          }
        });
    for (String role : degraded) {
      alarm(
          AlarmSeverity.ALARM_SEVERITY_WARNING,
          "SOURCE_DOWN",
          role + ": could not be opened at start");
    }
    if (workloads != null) {
      sampler.addPolled(workloads.source(), config.telemetryInterval(), Duration.ofSeconds(5));
      workloads.start();
    }
    sampler.start();
    // a command resumed from the journal is re-applied now, not at the first snapshot
    submitControl(() -> executor.step(latestSnapshot()));
    uplink.start();
    if (config.agentApi() != null) {
      agentApi =
          new AgentApiServer(
              config.agentApi(),
              new AgentServiceImpl(
                  AgentServiceImpl.describe(hello().getRig(), VERSION, config.profile(), startedAt),
                  () ->
                      FleetMessages.sample(
                          latestSnapshot(), executor.mode(), executor.powerTargetW()),
                  feed,
                  this::execute,
                  ledger,
                  config.clock()));
      log.info("AgentService on {}:{}", config.agentApi().bindAddress(), agentApi.port());
    }
    if (config.scada() != null) {
      try {
        // named only here, so Milo's server classes load only when the server is enabled
        scada = RigOpcUaServer.start(config.scada(), status());
      } catch (IllegalStateException e) {
        // SCADA is a window on the rig: without it the rig still curtails and reports
        log.error("event=opcua_server_unavailable reason={}", e.getMessage(), e);
      }
    }
    if (config.metrics() != null) {
      metrics = MetricsEndpoint.start(config.metrics(), new RigMetrics(this));
      log.info("/metrics on {}:{}", config.metrics().bindAddress(), metrics.port());
    }
    log.info(
        "agent for rig {} ({}) started; controller {}",
        config.rigId(),
        config.profile().id(),
        config.controllerTarget());
  }

  /**
   * What the workload is doing, for SCADA and the status file: from the executor's mode, and where
   * the agent supervises the workload process, from the process itself (a crashed miner waiting for
   * its restart is not RUNNING, whatever the executor last asked of it).
   */
  private String workloadState(RigMode mode) {
    String byMode =
        switch (mode) {
          case RUNNING, CURTAILED -> "RUNNING";
          case SLEEPING -> "SLEEPING";
          case OFF -> "OFF";
          case SAFETY_LIMITED -> safety.cutRequired() ? "STOPPED" : "RUNNING";
        };
    if (workloads == null || !byMode.equals("RUNNING")) {
      return byMode;
    }
    if (workloads.switching()) {
      return "SWITCHING";
    }
    Workload.State process = workloads.workload(workloads.active()).state();
    return process.name();
  }

  /** OPC UA security refusals are alarms: readings alone would not say why the meter is gone. */
  private void opcUaStatusChanged(
      io.flexrig.agent.source.opcua.OpcUaSession.Status from,
      io.flexrig.agent.source.opcua.OpcUaSession.Status to) {
    var refused = io.flexrig.agent.source.opcua.OpcUaSession.State.REFUSED;
    if (to.state() == refused) {
      alarm(AlarmSeverity.ALARM_SEVERITY_WARNING, "SOURCE_DOWN", "opcua: " + to.detail());
    } else if (from.state() == refused
        && to.state() == io.flexrig.agent.source.opcua.OpcUaSession.State.CONNECTED) {
      alarm(AlarmSeverity.ALARM_SEVERITY_INFO, "SOURCE_UP", "opcua answers again");
    }
  }

  /** The latest snapshot of the rig (assembled now if none was published yet). */
  public RigSnapshot latestSnapshot() {
    RigSnapshot s = sampler.lastSnapshot();
    return s != null ? s : sampler.snapshot();
  }

  /** Roles of sensors that could not be opened at start. */
  public synchronized List<String> degradedSensors() {
    return List.copyOf(degraded);
  }

  /** True while the controller has accepted this rig's session. */
  public boolean connected() {
    return uplink.connected();
  }

  public Sampler sampler() {
    return sampler;
  }

  public TelemetryOutbox outbox() {
    return outbox;
  }

  public CommandExecutor executor() {
    return executor;
  }

  /** The workloads this agent supervises; null when the firmware runs them. */
  public RigWorkloads workloads() {
    return workloads;
  }

  /** The rig's safety envelope, as the loop last judged it. */
  public SafetyLoop safety() {
    return safety;
  }

  public AgentConfig config() {
    return config;
  }

  /** What became of the commands of both doors. */
  public CommandLedger commandLedger() {
    return ledger;
  }

  /** The port /metrics is served on; -1 when it is not served (or not started). */
  public synchronized int metricsPort() {
    return metrics == null ? -1 : metrics.port();
  }

  /** The port AgentService listens on; -1 when it is not served (or not started). */
  public synchronized int agentApiPort() {
    return agentApi == null ? -1 : agentApi.port();
  }

  private void onSnapshot(RigSnapshot snapshot) {
    TelemetrySample unnumbered =
        FleetMessages.sample(snapshot, executor.mode(), executor.powerTargetW());
    feed.publish(outbox.append(unnumbered));
    uplink.samplesAvailable();
    submitControl(
        () -> {
          // the safety loop judges every snapshot before any command is stepped
          for (SafetyAlarm a : safety.observe(snapshot)) {
            // raised at the sample it judged, so the alarm names the observation that caused it
            alarm(severity(a.severity()), a.code(), a.message(), snapshot.sampledAt());
            lastSafetyAlarm = a;
            lastSafetyAlarmAt = snapshot.sampledAt();
          }
          if (frequency != null && snapshot.gridFrequencyHz().quality() == Quality.GOOD) {
            // a steady frequency streams no updates: the hold's end is noticed here
            frequency
                .onFrequency(snapshot.gridFrequencyHz().value(), config.clock().instant())
                .ifPresent(this::frequencyAlarm);
          }
          executor.step(snapshot);
          publishStatus(snapshot);
        });
  }

  private void publishStatus(RigSnapshot snapshot) {
    ScadaPublisher publisher = scada;
    if (publisher == null && statusFile == null) {
      return;
    }
    RigStatus status = status(snapshot);
    if (publisher != null) {
      publisher.publish(status);
    }
    if (statusFile != null) {
      statusFile.offer(status);
    }
  }

  /** The rig now, for SCADA and the status file: identity, snapshot, curtailment, safety, link. */
  public RigStatus status() {
    return status(latestSnapshot());
  }

  private RigStatus status(RigSnapshot snapshot) {
    String activeId = executor.activeCommandId();
    Held h = held;
    RigMode mode = executor.mode();
    RigStatus.Curtailment curtailment;
    if (activeId == null) {
      curtailment = new RigStatus.Curtailment(mode.name(), "", Double.NaN, null, null, false);
    } else if (h != null && h.command().commandId().equals(activeId)) {
      curtailment =
          new RigStatus.Curtailment(
              mode.name(),
              activeId,
              h.command().action() instanceof CurtailmentCommand.Sleep
                  ? config.profile().limits().sleepPowerW()
                  : h.ack().appliedPowerW(),
              h.command().deadline(),
              h.command().expiresAt(),
              h.ack().clamped());
    } else {
      // resumed from the journal: its deadline is not kept in memory
      curtailment =
          new RigStatus.Curtailment(
              mode.name(), activeId, executor.powerTargetW(), null, null, false);
    }
    SafetyAlarm alarm = lastSafetyAlarm;
    return new RigStatus(
        config.clock().instant(),
        new RigStatus.Identity(
            config.rigId(),
            config.siteId(),
            config.profile().id(),
            config.profile().vendor(),
            config.profile().model(),
            VERSION,
            startedAt),
        snapshot,
        executor.powerTargetW(),
        workloadState(mode),
        curtailment,
        new RigStatus.Safety(
            config.profile().limits(),
            safety.ceilingW(),
            safety.cutRequired(),
            safety.reason(),
            alarm == null ? "" : alarm.code(),
            alarm == null ? null : lastSafetyAlarmAt),
        new RigStatus.Link(config.controllerTarget(), uplink.connected(), outbox.size()));
  }

  /** The endpoint of the SCADA OPC UA server; null when it is not served. */
  public String scadaEndpointUrl() {
    ScadaPublisher publisher = scada;
    return publisher == null ? null : publisher.endpointUrl();
  }

  /** The last curtailment command accepted, with its ack: deadline and clamping for SCADA. */
  private record Held(CurtailmentCommand command, CommandAck ack) {}

  private void onCommand(Command command) {
    execute(command, CommandLedger.CONTROLLER);
  }

  /**
   * The one command path for both doors: the executor validates, clamps, journals and applies the
   * command on the control thread; the ack also goes up to the controller.
   */
  private CompletableFuture<io.flexrig.proto.v1.CommandAck> execute(
      Command command, String source) {
    CompletableFuture<io.flexrig.proto.v1.CommandAck> done = new CompletableFuture<>();
    boolean queued =
        submitControl(
            () -> {
              try {
                CurtailmentCommand received = FleetMessages.command(command);
                CommandAck ack = executor.submit(received);
                if (ack.accepted()) {
                  held = new Held(received, ack);
                }
                io.flexrig.proto.v1.CommandAck wire = FleetMessages.ack(ack);
                ledger.acknowledged(command, wire, source);
                uplink.send(wire);
                if (ack.clamped()) {
                  alarm(
                      AlarmSeverity.ALARM_SEVERITY_INFO,
                      "CLAMPED",
                      "command " + ack.commandId() + " " + ack.reason());
                }
                done.complete(wire);
                if (ack.accepted()) {
                  executor.step(latestSnapshot());
                }
              } catch (RuntimeException e) {
                done.completeExceptionally(e);
                throw e;
              }
            });
    if (!queued) {
      done.completeExceptionally(new IllegalStateException("control queue full or closed"));
    }
    return done;
  }

  private boolean submitControl(Runnable task) {
    try {
      control.execute(
          () -> {
            try {
              task.run();
            } catch (RuntimeException e) {
              log.error("control task failed", e);
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      log.warn("control queue full or closed; task dropped");
      return false;
    }
    return true;
  }

  // Called by the durable outbox when its disk budget forced it to drop old samples; one alarm a
  // minute at most, so a long outage does not bury the controller in alarms.
  private void outboxOverflowed(long droppedTotal) {
    long now = config.clock().millis();
    if (now - lastOverflowAlarmMillis < 60_000) {
      return;
    }
    lastOverflowAlarmMillis = now;
    alarm(
        AlarmSeverity.ALARM_SEVERITY_WARNING,
        "OUTBOX_OVERFLOW",
        "outbox disk budget of "
            + config.outboxBudgetBytes()
            + " bytes exhausted: oldest samples dropped ("
            + droppedTotal
            + " so far)");
  }

  private void alarm(AlarmSeverity severity, String code, String message) {
    alarm(severity, code, message, config.clock().instant());
  }

  private void alarm(AlarmSeverity severity, String code, String message, Instant raisedAt) {
    uplink.send(
        Alarm.newBuilder()
            .setAlarmId(UUID.randomUUID().toString())
            .setSeverity(severity)
            .setCode(code)
            .setMessage(message)
            .setRaisedAt(FleetMessages.timestamp(raisedAt))
            .build());
  }

  private AgentHello hello() {
    return AgentHello.newBuilder()
        .setRig(
            RigIdentity.newBuilder()
                .setRigId(config.rigId())
                .setSiteId(config.siteId())
                .setHardwareProfileId(config.profile().id()))
        .setAgentVersion(VERSION)
        .addAllCapabilities(FleetMessages.capabilities(config.profile()))
        .setNameplate(FleetMessages.nameplate(config.profile()))
        .setAgentStartedAt(FleetMessages.timestamp(startedAt))
        .build();
  }

  /** The profile's sensors with this rig's address overrides applied. */
  List<SensorSpec> sensors() {
    List<SensorSpec> out = new ArrayList<>();
    for (SensorSpec s : config.profile().sensors()) {
      String override = config.sensorAddressOverrides().get(s.role());
      out.add(override == null ? s : new SensorSpec(s.role(), override, s.options()));
    }
    return out;
  }

  private WorkloadKnobs knobs() {
    // The miner's API sensor (with this rig's override) first, else the profile's workload API.
    Optional<SensorSpec> api =
        sensors().stream()
            .filter(s -> SourceAddress.parse(s.address()).scheme().equals("cgminer"))
            .findFirst()
            .or(
                () ->
                    config.profile().workloads().stream()
                        .filter(w -> w.api().startsWith("cgminer:"))
                        .map(w -> new SensorSpec("workload:" + w.name(), w.api(), Map.of()))
                        .findFirst());
    if (api.isPresent()) {
      return new MinerControl(CgminerDriver.client(api.get()));
    }
    if (config.profile().curtailment(CurtailmentMethodKind.GPU_POWER_LIMIT).isPresent()
        && config.profile().nameplate().gpuTdpW() > 0) {
      String smi = config.workloads().nvidiaSmi();
      return new GpuPowerLimit(
          config.profile(),
          smi != null ? smi : Optional.ofNullable(gpuToolCommand()).orElse("nvidia-smi"),
          Duration.ofSeconds(10),
          null);
    }
    return new WorkloadKnobs() {
      @Override
      public void setPowerTarget(double watts) throws IOException {
        throw new IOException("rig has no workload API to set a power target");
      }

      @Override
      public void sleep() throws IOException {
        throw new IOException("rig has no workload API to sleep");
      }

      @Override
      public void wake() throws IOException {
        throw new IOException("rig has no workload API to wake");
      }
    };
  }

  /** The nvidia-smi the rig's GPU sensor runs (its {@code command} option), if it names one. */
  private String gpuToolCommand() {
    return sensors().stream()
        .filter(s -> s.address().startsWith("nvidia-smi:"))
        .map(s -> s.options().get("command"))
        .filter(c -> c != null && !c.isBlank())
        .findFirst()
        .orElse(null);
  }

  private void onGridFrequency(Reading reading) {
    if (reading.quality() != Quality.GOOD) {
      return;
    }
    submitControl(
        () -> {
          var transition = frequency.onFrequency(reading.value(), config.clock().instant());
          if (transition.isPresent()) {
            executor.step(latestSnapshot());
            frequencyAlarm(transition.get());
          }
        });
  }

  private void frequencyAlarm(FrequencyResponder.Transition t) {
    alarm(
        t.code().equals(FrequencyResponder.FFR_TRIPPED)
            ? AlarmSeverity.ALARM_SEVERITY_CRITICAL
            : AlarmSeverity.ALARM_SEVERITY_INFO,
        t.code(),
        t.message());
  }

  private static AlarmSeverity severity(SafetyAlarm.Severity s) {
    return switch (s) {
      case INFO -> AlarmSeverity.ALARM_SEVERITY_INFO;
      case WARNING -> AlarmSeverity.ALARM_SEVERITY_WARNING;
      case CRITICAL -> AlarmSeverity.ALARM_SEVERITY_CRITICAL;
    };
  }

  /**
   * Adds the hard cut when the profile has RELAY_CUT and this rig names its PDU outlet switch
   * ({@code outlet_switch} among the sensor address overrides).
   */
  private WorkloadKnobs withSupplySwitch(WorkloadKnobs workload) {
    String address = config.sensorAddressOverrides().get(OUTLET_SWITCH);
    if (address == null
        || config.profile().curtailment(CurtailmentMethodKind.RELAY_CUT).isEmpty()) {
      return workload;
    }
    OutletSwitch outlet =
        new OutletSwitch(OpcUaDriver.session(sources), OpcUaNodeAddress.parse(address));
    return new WorkloadKnobs() {
      @Override
      public void setPowerTarget(double watts) throws IOException {
        workload.setPowerTarget(watts);
      }

      @Override
      public void sleep() throws IOException {
        workload.sleep();
      }

      @Override
      public void wake() throws IOException {
        workload.wake();
      }

      @Override
      public boolean hasSupplySwitch() {
        return true;
      }

      @Override
      public void setSupply(boolean on) throws IOException {
        outlet.set(on);
      }
    };
  }

  private static FileCommandJournal openJournal(AgentConfig config) {
    if (config.stateDir() == null) {
      log.warn("no state directory: accepted commands will not survive a restart");
      return null;
    }
    try {
      return FileCommandJournal.open(config.stateDir(), config.clock());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the command journal in " + config.stateDir(), e);
    }
  }

  private Duration interval(SensorSpec sensor) {
    String v = sensor.options().get("interval_ms");
    return v == null ? config.telemetryInterval() : Duration.ofMillis(Long.parseLong(v.strip()));
  }

  private Duration timeout(SensorSpec sensor) {
    String v = sensor.options().get("timeout_ms");
    return v == null ? Duration.ofSeconds(10) : Duration.ofMillis(Long.parseLong(v.strip()));
  }

  private static Memo<Context> memoize(Supplier<Context> s) {
    return new Memo<>(s);
  }

  /** Calls its supplier at most once; remembers whether it did. */
  private static final class Memo<T> implements Supplier<T> {
    private final Supplier<T> supplier;
    private T value;

    Memo(Supplier<T> supplier) {
      this.supplier = supplier;
    }

    @Override
    public synchronized T get() {
      if (value == null) {
        value = supplier.get();
      }
      return value;
    }

    synchronized T ifCreated() {
      return value;
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      if (agentApi != null) {
        agentApi.close();
      }
      if (metrics != null) {
        metrics.close();
      }
    }
    ScadaPublisher publisher = scada;
    scada = null;
    if (publisher != null) {
      publisher.close();
    }
    uplink.close();
    sampler.close();
    if (workloads != null) {
      workloads.close();
    }
    control.shutdownNow();
    if (journal != null) {
      try {
        control.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      journal.close();
    }
    sources.close();
    if (outbox instanceof SqliteOutbox durable) {
      durable.close();
    }
    if (pi4j instanceof Memo<Context> memo && memo.ifCreated() != null) {
      Context context = memo.ifCreated();
      if (!context.isShutdown()) {
        try {
          context.shutdown();
        } catch (RuntimeException e) {
          log.warn("shutting Pi4J down failed: {}", e.toString());
        }
      }
    }
    log.info("agent for rig {} stopped", config.rigId());
  }
}
