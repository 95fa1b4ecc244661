package io.flexrig.agent.workload;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
  private final Path pidFile;
  private boolean reaped;

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
    this(name, command, settings, clock, events, null);
  }

  /**
   * @param pidFile where the running process's id is kept, so that a workload left running by an
   *     agent that was killed (kill -9, outside systemd's cgroup cleanup) is stopped before a new
   *     one is started; null keeps none
   */
  public WorkloadSupervisor(
      String name,
      List<String> command,
      Settings settings,
      Clock clock,
      Consumer<String> events,
      Path pidFile) {
    this.pidFile = pidFile;
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
    if (!reaped) {
      reaped = true;
      scheduler.execute(this::stopOrphan);
    }
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
        forgetPid();
      }
      state = State.STOPPED;
    }
  }

  /**
   * The pid and start time of the running process, so an orphan is recognised (not a reused pid).
   */
  private void recordPid(Process p) {
    if (pidFile == null) {
      return;
    }
    long started = p.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    try {
      Files.createDirectories(pidFile.toAbsolutePath().getParent());
      Path tmp = pidFile.resolveSibling(pidFile.getFileName() + ".tmp");
      Files.writeString(tmp, p.pid() + " " + started + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, pidFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      log.warn("workload {}: cannot record pid in {}: {}", name, pidFile, e.toString());
    }
  }

  private void forgetPid() {
    if (pidFile != null) {
      try {
        Files.deleteIfExists(pidFile);
      } catch (IOException e) {
        log.debug("workload {}: cannot delete {}: {}", name, pidFile, e.toString());
      }
    }
  }

  /**
   * Stops the process a previous agent recorded if it still runs (same pid and start time): two
   * miners would fight for the same port and the old one would run unsupervised.
   */
  private void stopOrphan() {
    if (pidFile == null || !Files.exists(pidFile)) {
      return;
    }
    try {
      String[] f = Files.readString(pidFile, StandardCharsets.UTF_8).strip().split(" ");
      long pid = Long.parseLong(f[0]);
      long started = f.length > 1 ? Long.parseLong(f[1]) : 0;
      ProcessHandle orphan = ProcessHandle.of(pid).orElse(null);
      if (orphan != null
          && orphan.isAlive()
          && orphan.info().startInstant().map(Instant::toEpochMilli).orElse(-1L) == started) {
        log.warn("workload {}: pid {} left running by an earlier agent; stopping it", name, pid);
        events.accept(
            "workload " + name + " left running by an earlier agent (pid " + pid + ") stopped");
        orphan.destroy();
        try {
          orphan.onExit().get(settings.stopGrace().toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          orphan.destroyForcibly();
        } catch (java.util.concurrent.ExecutionException e) {
          log.debug("waiting for pid {}: {}", pid, e.toString());
        }
      }
      Files.deleteIfExists(pidFile);
    } catch (IOException | RuntimeException e) {
      log.warn("workload {}: cannot check {}: {}", name, pidFile, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
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
    recordPid(p);
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
    forgetPid();
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
