package io.flexrig.agent.workload;

import io.flexrig.agent.control.CommandOutcome;
import io.flexrig.agent.control.CommandResult;
import io.flexrig.agent.control.WorkloadKnobs;
import io.flexrig.agent.control.WorkloadSwitcher;
import io.flexrig.agent.source.PolledSource;
import io.flexrig.agent.source.Reading;
import io.flexrig.agent.source.cgminer.CgminerClient;
import io.flexrig.agent.source.cgminer.CgminerDriver;
import io.flexrig.agent.source.cgminer.MinerControl;
import io.flexrig.core.profile.HardwareProfile;
import io.flexrig.core.profile.SensorSpec;
import io.flexrig.core.profile.WorkloadKind;
import io.flexrig.core.profile.WorkloadSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rig's supervised workloads: runs the chosen one (a child process or a systemd unit), reports
 * their state as readings, switches between them for {@code SwitchWorkload} (drain the AI server,
 * stop, start the other, wait until it answers, re-apply the power target in force) and refuses a
 * switch inside the running workload's hold ({@code min_run_s}). The choice is recorded in the
 * state directory before a switch is acknowledged, so a restarted agent runs what was chosen.
 *
 * <p>As {@link WorkloadKnobs} it is the executor's knob: power target, sleep and wake go to the
 * running workload (the miner's API, or the GPUs' power limit for AI inference).
 */
public final class RigWorkloads implements WorkloadSwitcher, WorkloadKnobs, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RigWorkloads.class);
  private static final String STATE_FILE = "workload.properties";
  private static final Duration POLL = Duration.ofMillis(50);

  /** Where the rig's workload events go (alarms to the controller). */
  @FunctionalInterface
  public interface Events {
    void event(boolean warning, String code, String message);
  }

  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private final Clock clock;
  private final Path stateDir;
  private final Consumer<CommandResult> results;
  private final Events events;
  private final Duration readyTimeout;
  private final ExecutorService switcher;

  // guarded by this
  private String active;
  private Instant switchedAt;
  private String switchingTo;
  private boolean draining;
  private double powerTargetW;

  private final class Entry {
    final WorkloadSpec spec;
    final String api;
    final Workload process;
    final InferenceApi inference;
    final WorkloadKnobs knobs;

    Entry(WorkloadSpec spec, String api, Workload process, WorkloadKnobs knobs) {
      this.spec = spec;
      this.api = api;
      this.process = process;
      this.inference =
          spec.kind() == WorkloadKind.AI_INFERENCE
              ? new InferenceApi(api, Duration.ofSeconds(2))
              : null;
      this.knobs = knobs;
    }
  }

  /**
   * @param results where a switch's verified result goes (as a command's)
   * @param stateDir where the choice is kept; null keeps it in memory (tests)
   * @return null when the settings supervise none of the profile's workloads
   */
  public static RigWorkloads create(
      HardwareProfile profile,
      WorkloadSettings settings,
      String gpuSensorCommand,
      Path stateDir,
      Clock clock,
      Consumer<CommandResult> results,
      Events events) {
    for (String name : settings.launches().keySet()) {
      if (profile.workloads().stream().noneMatch(w -> w.name().equals(name))) {
        throw new IllegalArgumentException(
            "workloads: '"
                + name
                + "' is not a workload of profile "
                + profile.id()
                + " (it has "
                + profile.workloads().stream().map(WorkloadSpec::name).toList()
                + ")");
      }
    }
    boolean any =
        profile.workloads().stream()
            .anyMatch(w -> settings.launches().containsKey(w.name()) || !w.command().isEmpty());
    if (!any) {
      return null;
    }
    return new RigWorkloads(profile, settings, gpuSensorCommand, stateDir, clock, results, events);
  }

  private RigWorkloads(
      HardwareProfile profile,
      WorkloadSettings settings,
      String gpuSensorCommand,
      Path stateDir,
      Clock clock,
      Consumer<CommandResult> results,
      Events events) {
    this.clock = clock;
    this.stateDir = stateDir;
    this.results = results;
    this.events = events;
    this.readyTimeout = settings.readyTimeout();
    String nvidiaSmi =
        settings.nvidiaSmi() != null
            ? settings.nvidiaSmi()
            : gpuSensorCommand != null ? gpuSensorCommand : "nvidia-smi";
    for (WorkloadSpec w : profile.workloads()) {
      WorkloadSettings.Launch launch = settings.launches().get(w.name());
      if (launch == null && w.command().isEmpty()) {
        continue;
      }
      String api = launch != null && launch.api() != null ? launch.api() : w.api();
      Workload process;
      if (launch != null && launch.systemdUnit() != null) {
        process =
            new SystemdWorkload(
                launch.systemdUnit(),
                settings.systemctl(),
                settings.journalctl(),
                settings.supervision().stopGrace().plusSeconds(5),
                settings.supervision().logLines());
      } else {
        process =
            new WorkloadSupervisor(
                w.name(),
                launch != null ? launch.command() : w.command(),
                settings.supervision(),
                clock,
                this::supervisorEvent,
                stateDir == null ? null : stateDir.resolve("workload-" + w.name() + ".pid"));
      }
      WorkloadKnobs stopStart = stopStart(w.name(), process);
      WorkloadKnobs knobs =
          w.kind() == WorkloadKind.MINING
              ? new MinerControl(CgminerDriver.client(new SensorSpec(w.name(), api, Map.of())))
              : profile.nameplate().gpuTdpW() > 0
                  ? new GpuPowerLimit(profile, nvidiaSmi, Duration.ofSeconds(10), stopStart)
                  : stopStart;
      entries.put(w.name(), new Entry(w, api, process, knobs));
    }
    this.switcher =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(4),
            r -> {
              Thread t = new Thread(r, "workload-switch");
              t.setDaemon(true);
              return t;
            });
    String initial = settings.initial();
    if (initial != null && !entries.containsKey(initial)) {
      throw new IllegalArgumentException(
          "workloads.initial: '" + initial + "' is not a supervised workload " + entries.keySet());
    }
    active = initial != null ? initial : entries.keySet().iterator().next();
    readState();
  }

  /** Sleep stops the workload and wake starts it, for workloads without a sleep of their own. */
  private static WorkloadKnobs stopStart(String name, Workload process) {
    return new WorkloadKnobs() {
      @Override
      public void setPowerTarget(double watts) throws IOException {
        throw new IOException("workload " + name + " has no power knob");
      }

      @Override
      public void sleep() throws IOException {
        try {
          process.stop();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while stopping " + name, e);
        }
      }

      @Override
      public void wake() throws IOException {
        process.start();
      }
    };
  }

  /** Starts the chosen workload and makes sure the others are stopped (in the background). */
  public void start() {
    String run;
    synchronized (this) {
      run = active;
    }
    log.info("workload {} chosen ({} supervised)", run, entries.keySet());
    switcher.execute(
        () -> {
          for (Map.Entry<String, Entry> e : entries.entrySet()) {
            if (!e.getKey().equals(run)) {
              stopQuietly(e.getValue());
            }
          }
          try {
            entries.get(run).process.start();
          } catch (IOException | RuntimeException e) {
            log.warn("starting workload {} failed: {}", run, e.toString());
            events.event(true, "WORKLOAD_DOWN", "starting " + run + " failed: " + e.getMessage());
          }
        });
  }

  /** The workload chosen to run (during a switch: the one switched to). */
  public synchronized String active() {
    return active;
  }

  /** True while a switch is draining, stopping or starting. */
  public synchronized boolean switching() {
    return switchingTo != null;
  }

  /** The supervised process of a workload, for tests and the status page. */
  /** The supervised workloads' names, in the profile's order. */
  public java.util.List<String> names() {
    return java.util.List.copyOf(entries.keySet());
  }

  public Workload workload(String name) {
    Entry e = entries.get(name);
    return e == null ? null : e.process;
  }

  @Override
  public synchronized String problemWith(String workload, Instant now) {
    Entry to = entries.get(workload);
    if (to == null) {
      return "no supervised workload '"
          + workload
          + "' on this rig (supervised: "
          + String.join(", ", entries.keySet())
          + ")";
    }
    if (switchingTo != null) {
      return "a switch to " + switchingTo + " is in progress";
    }
    if (workload.equals(active)) {
      return workload + " is already running";
    }
    Entry running = entries.get(active);
    if (switchedAt != null && running.spec.minRunS() > 0) {
      Instant holdEnds = switchedAt.plusMillis(Math.round(running.spec.minRunS() * 1000));
      if (now.isBefore(holdEnds)) {
        return String.format(
            Locale.ROOT,
            "%s runs at least %.0f s after a switch (min_run_s); switch possible from %s",
            active,
            running.spec.minRunS(),
            holdEnds);
      }
    }
    return null;
  }

  @Override
  public void switchTo(String commandId, String workload, Instant now) throws IOException {
    String from;
    synchronized (this) {
      from = active;
      writeState(workload, now);
      active = workload;
      switchedAt = now;
      switchingTo = workload;
    }
    try {
      switcher.execute(() -> runSwitch(commandId, from, workload));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      synchronized (this) {
        switchingTo = null;
      }
      throw new IOException("workload switcher closed", e);
    }
  }

  private void runSwitch(String commandId, String fromName, String toName) {
    Entry from = entries.get(fromName);
    Entry to = entries.get(toName);
    long t0 = System.nanoTime();
    StringBuilder detail = new StringBuilder(fromName + " -> " + toName + ": ");
    boolean ok = true;
    try {
      if (from.inference != null) {
        detail.append(drain(from)).append("; ");
      }
      from.process.stop();
      detail.append(String.format(Locale.ROOT, "stopped at %d ms; ", ms(t0)));
      to.process.start();
      if (awaitReady(to)) {
        detail.append(String.format(Locale.ROOT, "%s answers at %d ms", toName, ms(t0)));
      } else {
        ok = false;
        detail.append(toName).append(" did not answer within ").append(readyTimeout);
      }
      double target;
      synchronized (this) {
        target = powerTargetW;
      }
      if (ok && target > 0) {
        // the curtailment in force holds across the switch
        to.knobs.setPowerTarget(target);
        detail.append(String.format(Locale.ROOT, "; power target %.0f W re-applied", target));
      }
    } catch (IOException | RuntimeException e) {
      ok = false;
      detail.append("failed: ").append(e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ok = false;
      detail.append("interrupted");
    } finally {
      synchronized (this) {
        switchingTo = null;
        draining = false;
      }
    }
    log.info("workload switch {}: {}", commandId, detail);
    events.event(!ok, ok ? "WORKLOAD_SWITCHED" : "WORKLOAD_SWITCH_FAILED", detail.toString());
    results.accept(
        new CommandResult(
            commandId,
            ok ? CommandOutcome.ACHIEVED : CommandOutcome.FAILED,
            0,
            0,
            clock.instant(),
            detail.toString()));
  }

  /** Stops the AI server taking requests and waits for those in flight, up to its drain_s. */
  private String drain(Entry from) throws InterruptedException {
    synchronized (this) {
      draining = true;
    }
    long t0 = System.nanoTime();
    long limitNanos = Math.round(from.spec.drainS() * 1e9);
    try {
      from.inference.beginDrain();
    } catch (IOException e) {
      return "not drained (" + e.getMessage() + ")";
    }
    int inFlight = from.inference.health().inFlight();
    int atStart = inFlight;
    while (inFlight > 0 && System.nanoTime() - t0 < limitNanos) {
      Thread.sleep(POLL.toMillis());
      InferenceApi.Health h = from.inference.health();
      inFlight = h.up() ? h.inFlight() : 0;
    }
    return inFlight > 0
        ? String.format(
            Locale.ROOT,
            "drain timed out after %d ms (drain_s %.0f) with %d requests in flight",
            ms(t0),
            from.spec.drainS(),
            inFlight)
        : String.format(
            Locale.ROOT, "drained %d requests in flight in %d ms", Math.max(0, atStart), ms(t0));
  }

  private boolean awaitReady(Entry to) throws InterruptedException {
    long end = System.nanoTime() + readyTimeout.toNanos();
    CgminerClient miner =
        to.spec.kind() == WorkloadKind.MINING
            ? CgminerDriver.client(new SensorSpec(to.spec.name(), to.api, Map.of()))
            : null;
    while (System.nanoTime() < end) {
      if (miner != null) {
        try {
          miner.send("summary");
          return true;
        } catch (IOException e) {
          // not listening yet
        }
      } else {
        InferenceApi.Health h = to.inference.health();
        if (h.up() && h.accepting()) {
          return true;
        }
      }
      Thread.sleep(100);
    }
    return false;
  }

  private static long ms(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  // --- the executor's knobs: the running workload's

  @Override
  public void setPowerTarget(double watts) throws IOException {
    Entry e;
    synchronized (this) {
      powerTargetW = watts;
      if (switchingTo != null) {
        return; // applied to the new workload once it answers
      }
      e = entries.get(active);
    }
    e.knobs.setPowerTarget(watts);
  }

  @Override
  public void sleep() throws IOException {
    current("sleep").knobs.sleep();
  }

  @Override
  public void wake() throws IOException {
    current("wake").knobs.wake();
  }

  private synchronized Entry current(String what) throws IOException {
    if (switchingTo != null) {
      throw new IOException(what + " deferred: switching workload to " + switchingTo);
    }
    return entries.get(active);
  }

  // --- telemetry

  /**
   * Readings for every sample: per workload {@code workload.<name>.state} (0 stopped, 1 running, 2
   * restart backoff, 3 stopping, 4 draining), {@code .active} (1 for the chosen one), {@code
   * .restarts}; for a running AI workload {@code .in_flight}.
   */
  public PolledSource source() {
    return new PolledSource() {
      @Override
      public String name() {
        return "workload";
      }

      @Override
      public List<Reading> sample() {
        Instant now = clock.instant();
        String chosen;
        boolean drainingNow;
        synchronized (RigWorkloads.this) {
          chosen = active;
          drainingNow = draining;
        }
        List<Reading> out = new ArrayList<>(entries.size() * 4);
        for (Entry e : entries.values()) {
          String n = "workload." + e.spec.name();
          Workload.State s = e.process.state();
          boolean isDraining = drainingNow && !e.spec.name().equals(chosen) && e.inference != null;
          out.add(Reading.good(n + ".state", isDraining ? 4 : s.ordinal(), "", now));
          out.add(Reading.good(n + ".active", e.spec.name().equals(chosen) ? 1 : 0, "", now));
          out.add(Reading.good(n + ".restarts", e.process.restarts(), "", now));
          if (e.inference != null && (s == Workload.State.RUNNING || isDraining)) {
            InferenceApi.Health h = e.inference.health();
            out.add(
                h.up() && h.inFlight() >= 0
                    ? Reading.good(n + ".in_flight", h.inFlight(), "", now)
                    : Reading.bad(n + ".in_flight", "", now));
          }
        }
        return out;
      }

      @Override
      public void close() {}
    };
  }

  private void supervisorEvent(String message) {
    if (message.contains("earlier agent")) {
      events.event(true, "WORKLOAD_ORPHAN_STOPPED", message);
      return;
    }
    boolean restart = message.contains("restart");
    events.event(restart, restart ? "WORKLOAD_RESTART" : "WORKLOAD_STARTED", message);
  }

  // --- the choice, kept across restarts

  private void readState() {
    if (stateDir == null) {
      return;
    }
    Path f = stateDir.resolve(STATE_FILE);
    if (!Files.exists(f)) {
      return;
    }
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
      p.load(in);
    } catch (IOException e) {
      log.warn("cannot read {}: {}; running {}", f, e.toString(), active);
      return;
    }
    String chosen = p.getProperty("active");
    if (chosen != null && entries.containsKey(chosen)) {
      active = chosen;
      String at = p.getProperty("switched_at");
      switchedAt = at == null ? null : Instant.parse(at);
      log.info("workload {} as recorded (switched at {})", active, switchedAt);
    } else if (chosen != null) {
      log.warn("recorded workload {} is no longer supervised; running {}", chosen, active);
    }
  }

  private void writeState(String workload, Instant at) throws IOException {
    if (stateDir == null) {
      return;
    }
    Files.createDirectories(stateDir);
    Path tmp = stateDir.resolve(STATE_FILE + ".tmp");
    String body = "active=" + workload + "\nswitched_at=" + at + "\n";
    try (var ch =
        java.nio.channels.FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(java.nio.ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)));
      ch.force(true);
    }
    Files.move(
        tmp,
        stateDir.resolve(STATE_FILE),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  private static void stopQuietly(Entry e) {
    if (e.process.state() == Workload.State.STOPPED && e.process instanceof WorkloadSupervisor) {
      return;
    }
    try {
      e.process.stop();
    } catch (IOException | RuntimeException ex) {
      log.warn("stopping workload {} failed: {}", e.spec.name(), ex.toString());
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    switcher.shutdownNow();
    try {
      switcher.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Entry e : entries.values()) {
      e.process.close();
    }
  }
}
