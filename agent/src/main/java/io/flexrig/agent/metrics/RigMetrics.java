package io.flexrig.agent.metrics;

import io.flexrig.agent.RigAgent;
import io.flexrig.agent.control.RigMode;
import io.flexrig.agent.door.CommandLedger;
import io.flexrig.agent.sampler.Measurement;
import io.flexrig.agent.sampler.RigSnapshot;
import io.flexrig.agent.sampler.Sampler;
import io.flexrig.agent.source.Quality;
import io.flexrig.agent.source.Reading;
import io.flexrig.agent.uplink.TelemetryOutbox;
import io.flexrig.agent.workload.RigWorkloads;
import io.flexrig.agent.workload.Workload;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rig as Prometheus sees it. Everything is read at scrape time from one {@link RigSnapshot} and
 * the agent's own counters, so a scrape is consistent and sampling costs nothing extra. Every
 * series carries {@code rig} and {@code site} labels, so a site's Prometheus can scrape many boards
 * and sum by site without relabelling.
 */
public final class RigMetrics implements MultiCollector {
  /** Metric names, as the dashboards use them. */
  public static final String POWER = "flexrig_rig_power_watts";

  public static final String POWER_TARGET = "flexrig_rig_power_target_watts";
  public static final String HASHRATE = "flexrig_rig_hashrate_hashes_per_second";
  public static final String CHIP_TEMP_MAX = "flexrig_rig_chip_temperature_max_celsius";
  public static final String TEMPERATURE = "flexrig_rig_temperature_celsius";
  public static final String GRID_FREQUENCY = "flexrig_rig_grid_frequency_hertz";
  public static final String READING = "flexrig_rig_reading";
  public static final String READING_QUALITY = "flexrig_rig_reading_quality";
  public static final String MODE = "flexrig_rig_mode";
  public static final String WORKLOAD_STATE = "flexrig_rig_workload_state";
  public static final String WORKLOAD_RESTARTS = "flexrig_rig_workload_restarts";
  public static final String CURTAILED = "flexrig_rig_curtailed";
  public static final String SAFETY_CEILING = "flexrig_rig_safety_ceiling_watts";
  public static final String SAFETY_CUT = "flexrig_rig_safety_cut";
  public static final String SNAPSHOT_TIME = "flexrig_rig_snapshot_timestamp_seconds";
  public static final String CONNECTED = "flexrig_agent_controller_connected";
  public static final String OUTBOX_SAMPLES = "flexrig_agent_outbox_samples";
  public static final String OUTBOX_DROPPED = "flexrig_agent_outbox_dropped_samples";
  public static final String OUTBOX_SEQUENCE = "flexrig_agent_outbox_last_sequence";
  public static final String SOURCE_POLLS = "flexrig_agent_source_polls";
  public static final String SOURCE_FAILURES = "flexrig_agent_source_failures";
  public static final String SOURCE_OVERRUNS = "flexrig_agent_source_overruns";
  public static final String SOURCE_TIMEOUTS = "flexrig_agent_source_timeouts";
  public static final String SENSOR_DEGRADED = "flexrig_agent_sensor_unavailable";
  public static final String COMMANDS = "flexrig_agent_commands";
  public static final String COMMAND_RESULTS = "flexrig_agent_command_results";
  public static final String INFO = "flexrig_agent";

  private final RigAgent agent;
  private final String rig;
  private final String site;
  private final String profile;

  public RigMetrics(RigAgent agent) {
    this.agent = agent;
    this.rig = agent.config().rigId();
    this.site = agent.config().siteId();
    this.profile = agent.config().profile().id();
  }

  @Override
  public MetricSnapshots collect() {
    RigSnapshot s = agent.latestSnapshot();
    List<MetricSnapshot> out = new ArrayList<>(32);
    out.add(
        InfoSnapshot.builder()
            .name(INFO)
            .help("The agent: its version and the rig's hardware profile")
            .dataPoint(
                InfoDataPointSnapshot.builder()
                    .labels(rigLabels("version", RigAgent.VERSION, "profile", profile))
                    .build())
            .build());

    measured(out, POWER, "Input power, from the most direct usable source", s.powerW(), 1);
    measured(out, HASHRATE, "Hashrate reported by the miner", s.hashrateThs(), 1e12);
    measured(out, CHIP_TEMP_MAX, "Hottest chip", s.chipTempMaxC(), 1);
    measured(out, GRID_FREQUENCY, "Grid frequency at the site meter", s.gridFrequencyHz(), 1);
    gauge(out, SNAPSHOT_TIME, "When the snapshot was taken", point(epochSeconds(s), rigLabels()));

    List<GaugeDataPointSnapshot> temperatures = new ArrayList<>();
    List<GaugeDataPointSnapshot> readings = new ArrayList<>();
    List<GaugeDataPointSnapshot> qualities = new ArrayList<>();
    for (Reading r : s.readings()) {
      boolean usable = r.quality() != Quality.BAD && Double.isFinite(r.value());
      if (usable) {
        readings.add(point(r.value(), rigLabels("reading", r.name(), "unit", r.unit())));
        if (r.unit().equals("C")) {
          temperatures.add(point(r.value(), rigLabels("sensor", r.name())));
        }
      }
      for (Quality q : Quality.values()) {
        qualities.add(
            point(r.quality() == q ? 1 : 0, rigLabels("reading", r.name(), "quality", lower(q))));
      }
    }
    gauge(out, TEMPERATURE, "Every usable temperature reading", temperatures);
    gauge(out, READING, "Every usable reading of every source, in its unit", readings);
    gauge(out, READING_QUALITY, "Quality of each reading: 1 for its current quality", qualities);

    RigMode mode = agent.executor().mode();
    List<GaugeDataPointSnapshot> modes = new ArrayList<>();
    for (RigMode m : RigMode.values()) {
      modes.add(point(m == mode ? 1 : 0, rigLabels("mode", lower(m))));
    }
    gauge(out, MODE, "What the executor has put the rig in: 1 for the current mode", modes);
    RigWorkloads workloads = agent.workloads();
    if (workloads != null) {
      // Only where the agent supervises the workload; where the firmware runs it, mode says it.
      List<GaugeDataPointSnapshot> states = new ArrayList<>();
      List<GaugeDataPointSnapshot> restarts = new ArrayList<>();
      String active = workloads.active();
      for (String name : workloads.names()) {
        Workload w = workloads.workload(name);
        for (Workload.State st : Workload.State.values()) {
          states.add(
              point(
                  w.state() == st ? 1 : 0,
                  rigLabels(
                      "workload",
                      name,
                      "state",
                      lower(st),
                      "active",
                      String.valueOf(name.equals(active)))));
        }
        restarts.add(point(w.restarts(), rigLabels("workload", name)));
      }
      gauge(
          out,
          WORKLOAD_STATE,
          "Each supervised workload process: 1 for its current state; active=true marks the one"
              + " the rig should run",
          states);
      gauge(out, WORKLOAD_RESTARTS, "Restarts of each supervised workload process", restarts);
    }
    gauge(
        out,
        CURTAILED,
        "1 while the rig runs below its normal operation (curtailed, asleep, limited or off)",
        point(mode == RigMode.RUNNING ? 0 : 1, rigLabels()));
    double target = agent.executor().powerTargetW();
    if (target > 0) {
      gauge(out, POWER_TARGET, "Power target in force, after clamping", point(target, rigLabels()));
    }
    gauge(
        out,
        SAFETY_CEILING,
        "Highest power the safety loop allows now",
        point(agent.safety().ceilingW(), rigLabels()));
    gauge(
        out,
        SAFETY_CUT,
        "1 while the safety loop demands the workload be cut",
        point(agent.safety().cutRequired() ? 1 : 0, rigLabels()));

    gauge(
        out,
        CONNECTED,
        "1 while the controller has accepted this rig's session",
        point(agent.connected() ? 1 : 0, rigLabels()));
    TelemetryOutbox outbox = agent.outbox();
    gauge(
        out,
        OUTBOX_SAMPLES,
        "Samples kept until the controller acknowledges them",
        point(outbox.size(), rigLabels()));
    gauge(
        out,
        OUTBOX_SEQUENCE,
        "Highest telemetry sequence numbered",
        point(outbox.lastSequence(), rigLabels()));
    counter(
        out,
        OUTBOX_DROPPED,
        "Samples dropped unacknowledged because the outbox was full",
        List.of(counterPoint(outbox.dropped(), rigLabels())));

    List<CounterDataPointSnapshot> polls = new ArrayList<>();
    List<CounterDataPointSnapshot> failures = new ArrayList<>();
    List<CounterDataPointSnapshot> overruns = new ArrayList<>();
    List<CounterDataPointSnapshot> timeouts = new ArrayList<>();
    for (Map.Entry<String, Sampler.SourceStats> e : agent.sampler().stats().entrySet()) {
      Labels l = rigLabels("source", e.getKey());
      polls.add(counterPoint(e.getValue().polls(), l));
      failures.add(counterPoint(e.getValue().failures(), l));
      overruns.add(counterPoint(e.getValue().overruns(), l));
      timeouts.add(counterPoint(e.getValue().timeouts(), l));
    }
    counter(out, SOURCE_POLLS, "Polls of each polled source", polls);
    counter(out, SOURCE_FAILURES, "Polls that failed", failures);
    counter(out, SOURCE_OVERRUNS, "Ticks skipped because the previous poll still ran", overruns);
    counter(out, SOURCE_TIMEOUTS, "Polls abandoned at their timeout", timeouts);
    List<GaugeDataPointSnapshot> degraded = new ArrayList<>();
    for (String role : agent.degradedSensors()) {
      degraded.add(point(1, rigLabels("sensor", role)));
    }
    gauge(out, SENSOR_DEGRADED, "1 for each sensor that could not be opened at start", degraded);

    // Every known series starts at 0, so rate() and increase() see the first command too.
    CommandLedger ledger = agent.commandLedger();
    Map<CommandLedger.Tally, Long> ackCounts = new TreeMap<>(ledger.ackCounts());
    for (String door : List.of(CommandLedger.CONTROLLER, CommandLedger.AGENT_API)) {
      for (String result : List.of("accepted", "clamped", "rejected")) {
        ackCounts.putIfAbsent(new CommandLedger.Tally(door, result), 0L);
      }
    }
    List<CounterDataPointSnapshot> acks = new ArrayList<>();
    for (Map.Entry<CommandLedger.Tally, Long> e : ackCounts.entrySet()) {
      acks.add(
          counterPoint(
              e.getValue(), rigLabels("door", e.getKey().door(), "result", e.getKey().result())));
    }
    counter(out, COMMANDS, "Commands acknowledged, by door and result", acks);
    Map<String, Long> outcomeCounts = new TreeMap<>(ledger.outcomeCounts());
    for (String outcome : List.of("achieved", "achieved_late", "failed", "superseded")) {
      outcomeCounts.putIfAbsent(outcome, 0L);
    }
    List<CounterDataPointSnapshot> outcomes = new ArrayList<>();
    for (Map.Entry<String, Long> e : outcomeCounts.entrySet()) {
      outcomes.add(counterPoint(e.getValue(), rigLabels("outcome", e.getKey())));
    }
    counter(out, COMMAND_RESULTS, "Commands finished, by verified outcome", outcomes);
    return new MetricSnapshots(out);
  }

  /** A figure of the snapshot, omitted when it has no usable value (a gap, not a fake zero). */
  private void measured(
      List<MetricSnapshot> out, String name, String help, Measurement m, double scale) {
    List<GaugeDataPointSnapshot> points =
        m.usable() ? List.of(point(m.value() * scale, rigLabels("source", m.source()))) : List.of();
    gauge(out, name, help, points);
  }

  private static double epochSeconds(RigSnapshot s) {
    return s.sampledAt().getEpochSecond() + s.sampledAt().getNano() / 1e9;
  }

  private Labels rigLabels(String... more) {
    String[] all = new String[more.length + 4];
    all[0] = "rig";
    all[1] = rig;
    all[2] = "site";
    all[3] = site;
    System.arraycopy(more, 0, all, 4, more.length);
    return Labels.of(all);
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  private static GaugeDataPointSnapshot point(double value, Labels labels) {
    return GaugeDataPointSnapshot.builder().value(value).labels(labels).build();
  }

  private static CounterDataPointSnapshot counterPoint(double value, Labels labels) {
    return CounterDataPointSnapshot.builder().value(value).labels(labels).build();
  }

  private static void gauge(
      List<MetricSnapshot> out, String name, String help, GaugeDataPointSnapshot point) {
    gauge(out, name, help, List.of(point));
  }

  private static void gauge(
      List<MetricSnapshot> out, String name, String help, List<GaugeDataPointSnapshot> points) {
    GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
    points.forEach(b::dataPoint);
    out.add(b.build());
  }

  private static void counter(
      List<MetricSnapshot> out, String name, String help, List<CounterDataPointSnapshot> points) {
    CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
    points.forEach(b::dataPoint);
    out.add(b.build());
  }
}
