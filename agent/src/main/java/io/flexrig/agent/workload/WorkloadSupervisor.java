package io.flexrig.agent.workload;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Supervises one workload (a miner or an inference server) as a child process: starts it, keeps the
 * last lines of its output, restarts it with exponential backoff when it exits on its own (reset
 * once it has run stably), and stops it on request (SIGTERM, then SIGKILL after a grace).
 *
 * <p>One daemon thread schedules starts and restarts; one daemon thread per running process pumps
 * its output. All public methods may be called from any thread.
 */
public final class WorkloadSupervisor implements Workload {
  private static final Logger log = LoggerFactory.getLogger(WorkloadSupervisor.class);

  /**
   * @param initialBackoff wait before the first restart
   * @param maxBackoff longest wait between restarts (the backoff doubles up to it)
   * @param stableAfter a run this long resets the backoff
   * @param stopGrace how long a stop waits after SIGTERM before SIGKILL
   * @param logLines how many lines of output are kept
   */
  public record Settings(
      Duration initialBackoff,
      Duration maxBackoff,
      Duration stableAfter,
      Duration stopGrace,
      int logLines) {

    /** 1 s doubling to 60 s, stable after 5 min, 10 s to stop, 200 lines. */
    public static Settings defaults() {
      return new Settings(
          Duration.ofSeconds(1),
          Duration.ofSeconds(60),
          Duration.ofMinutes(5),
          Duration.ofSeconds(10),
          200);
    }
  }

  private final String name;
  private final List<String> command;
  private final Settings settings;
  private final Clock clock;
  private final Consumer<String> events;
  private final ScheduledExecutorService scheduler;
  private final Deque<String> lines = new ArrayDeque<>();

  // guarded by this
  private State state = State.STOPPED;
  private Process process;
  private Instant startedAt;
  private Duration backoff;
  private int restarts;
  private boolean wanted;

  /**
   * @param events told of every start, exit and restart, for alarms; must not block
   */
  public WorkloadSupervisor(
      String name, List<String> command, Settings settings, Clock clock, Consumer<String> events) {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("workload " + name + " has no command to run");
    }
    this.name = name;
    this.command = List.copyOf(command);
    this.settings = settings;
    this.clock = clock;
    this.events = events;
    this.backoff = settings.initialBackoff();
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "workload-" + name);
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts the workload (no-op when it is already wanted running). */
  @Override
  public synchronized void start() {
    if (wanted) {
      return;
    }
    wanted = true;
    backoff = settings.initialBackoff();
    scheduler.execute(this::spawn);
  }

  /** Stops the workload and keeps it stopped; returns once the process has ended. */
  @Override
  public void stop() throws InterruptedException {
    Process p;
    synchronized (this) {
      wanted = false;
      p = process;
      if (p == null) {
        state = State.STOPPED;
        return;
      }
      state = State.STOPPING;
    }
    p.destroy();
    if (!p.waitFor(settings.stopGrace().toMillis(), TimeUnit.MILLISECONDS)) {
      log.warn("workload {} ignored SIGTERM for {}; killing it", name, settings.stopGrace());
      p.destroyForcibly().waitFor(settings.stopGrace().toMillis(), TimeUnit.MILLISECONDS);
    }
    synchronized (this) {
      if (process == p) {
        process = null;
      }
      state = State.STOPPED;
    }
  }

  @Override
  public synchronized State state() {
    return state;
  }

  /** How many times the workload was restarted after exiting on its own. */
  @Override
  public synchronized int restarts() {
    return restarts;
  }

  /** The running process's id. */
  public synchronized OptionalLong pid() {
    return process == null ? OptionalLong.empty() : OptionalLong.of(process.pid());
  }

  /** The last lines the workload printed (stdout and stderr merged), oldest first. */
  @Override
  public List<String> recentLog() {
    synchronized (lines) {
      return new ArrayList<>(lines);
    }
  }

  private void spawn() {
    Process p;
    synchronized (this) {
      if (!wanted || process != null) {
        return;
      }
      try {
        p = new ProcessBuilder(command).redirectErrorStream(true).start();
      } catch (IOException e) {
        log.warn("workload {} did not start: {}", name, e.getMessage());
        scheduleRestart("could not start: " + e.getMessage());
        return;
      }
      process = p;
      startedAt = clock.instant();
      state = State.RUNNING;
    }
    events.accept("workload " + name + " started (pid " + p.pid() + ")");
    Thread pump = new Thread(() -> pump(p), "workload-" + name + "-log");
    pump.setDaemon(true);
    pump.start();
    p.onExit().thenAccept(exited -> scheduler.execute(() -> exited(exited)));
  }

  private void pump(Process p) {
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        log.debug("[{}] {}", name, line);
        synchronized (lines) {
          lines.addLast(line);
          while (lines.size() > settings.logLines()) {
            lines.removeFirst();
          }
        }
      }
    } catch (IOException e) {
      log.debug("workload {} output closed: {}", name, e.toString());
    }
  }

  private synchronized void exited(Process p) {
    if (process != p) {
      return;
    }
    process = null;
    Duration ran = Duration.between(startedAt, clock.instant());
    if (!wanted) {
      state = State.STOPPED;
      return;
    }
    if (ran.compareTo(settings.stableAfter()) >= 0) {
      backoff = settings.initialBackoff();
    }
    scheduleRestart("exited with status " + p.exitValue() + " after " + ran.toMillis() + " ms");
  }

  private void scheduleRestart(String why) {
    Duration wait = backoff;
    backoff = backoff.multipliedBy(2);
    if (backoff.compareTo(settings.maxBackoff()) > 0) {
      backoff = settings.maxBackoff();
    }
    state = State.BACKOFF;
    restarts++;
    String message =
        "workload " + name + " " + why + "; restart " + restarts + " in " + wait.toMillis() + " ms";
    log.warn(message);
    events.accept(message);
    scheduler.schedule(this::spawn, wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    try {
      stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    scheduler.shutdownNow();
  }
}
