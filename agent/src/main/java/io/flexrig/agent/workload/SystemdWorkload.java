package io.flexrig.agent.workload;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A workload run by systemd (where the rig's image installs the miner or model server as a unit):
 * the agent starts and stops the unit with {@code systemctl}, reads its state with {@code systemctl
 * is-active}, its restart count from {@code NRestarts} and its log with {@code journalctl}, each as
 * a child process. Restart with backoff is the unit's own ({@code Restart=on-failure}, {@code
 * RestartSec=}); the agent does not race systemd with restarts of its own.
 *
 * <p>State and restart count come from one {@code systemctl show} call, kept for {@code stateTtl}:
 * the sampler asks for both of every workload once a second, and a fork of systemctl per question
 * was the agent's largest steady CPU cost on a hybrid rig. A start or stop forgets the kept answer,
 * so the state after a command is always read fresh.
 */
public final class SystemdWorkload implements Workload {
  private final String unit;
  private final String systemctl;
  private final String journalctl;
  private final Duration timeout;
  private final int logLines;
  private final Duration stateTtl;
  private final java.util.function.LongSupplier nanoTime;
  private UnitStatus status; // guarded by this
  private long statusReadAt;

  /**
   * @param systemctl path of {@code systemctl} (usually just the name, found on the PATH)
   * @param journalctl path of {@code journalctl}
   * @param timeout longest wait for one call; {@code systemctl stop} waits for the unit's own stop
   */
  public SystemdWorkload(
      String unit, String systemctl, String journalctl, Duration timeout, int logLines) {
    this(unit, systemctl, journalctl, timeout, logLines, DEFAULT_STATE_TTL, System::nanoTime);
  }

  /** How long one {@code systemctl show} answers for state and restarts by default. */
  public static final Duration DEFAULT_STATE_TTL = Duration.ofSeconds(2);

  SystemdWorkload(
      String unit,
      String systemctl,
      String journalctl,
      Duration timeout,
      int logLines,
      Duration stateTtl,
      java.util.function.LongSupplier nanoTime) {
    if (unit == null || unit.isBlank()) {
      throw new IllegalArgumentException("systemd unit name missing");
    }
    this.unit = unit;
    this.systemctl = systemctl;
    this.journalctl = journalctl;
    this.timeout = timeout;
    this.logLines = logLines;
    this.stateTtl = stateTtl;
    this.nanoTime = nanoTime;
  }

  public String unit() {
    return unit;
  }

  @Override
  public void start() throws IOException {
    forgetStatus();
    Result r = run(systemctl, "start", unit);
    if (r.status != 0) {
      throw new IOException("systemctl start " + unit + " failed (" + r.status + "): " + r.out);
    }
  }

  @Override
  public void stop() throws IOException {
    forgetStatus();
    Result r = run(systemctl, "stop", unit);
    if (r.status != 0) {
      throw new IOException("systemctl stop " + unit + " failed (" + r.status + "): " + r.out);
    }
  }

  @Override
  public State state() {
    return switch (status().activeState()) {
      case "active", "reloading" -> State.RUNNING;
      case "activating" -> State.BACKOFF; // includes auto-restart after a crash
      case "deactivating" -> State.STOPPING;
      default -> State.STOPPED; // inactive, failed, unknown, or systemctl itself failed
    };
  }

  @Override
  public int restarts() {
    return status().restarts();
  }

  /** What one {@code systemctl show} said about the unit. */
  private record UnitStatus(String activeState, int restarts) {
    static final UnitStatus UNKNOWN = new UnitStatus("unknown", 0);
  }

  private synchronized UnitStatus status() {
    long now = nanoTime.getAsLong();
    if (status == null || now - statusReadAt >= stateTtl.toNanos()) {
      status = readStatus();
      statusReadAt = now;
    }
    return status;
  }

  private synchronized void forgetStatus() {
    status = null;
  }

  private UnitStatus readStatus() {
    try {
      Result r = run(systemctl, "show", "-p", "ActiveState", "-p", "NRestarts", unit);
      if (r.status != 0) {
        return UnitStatus.UNKNOWN;
      }
      String active = "unknown";
      int restarts = 0;
      for (String line : r.out.split("\\R")) {
        int eq = line.indexOf('=');
        if (eq < 0) {
          continue;
        }
        String value = line.substring(eq + 1).strip();
        switch (line.substring(0, eq)) {
          case "ActiveState" -> active = value;
          case "NRestarts" -> restarts = parseCount(value);
          default -> {}
        }
      }
      return new UnitStatus(active, restarts);
    } catch (IOException e) {
      return UnitStatus.UNKNOWN;
    }
  }

  private static int parseCount(String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      return 0; // systemd older than 235 has no NRestarts: "[not set]" or empty
    }
  }

  @Override
  public List<String> recentLog() {
    try {
      Result r =
          run(journalctl, "-u", unit, "-n", Integer.toString(logLines), "--no-pager", "-o", "cat");
      return r.out.isEmpty() ? List.of() : List.of(r.out.split("\\R"));
    } catch (IOException e) {
      return List.of("journalctl failed: " + e.getMessage());
    }
  }

  private record Result(int status, String out) {}

  private Result run(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      // output is small (a state word, a few hundred lines at most): read it all, then wait
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", cmd) + " did not finish within " + timeout);
      }
      return new Result(p.exitValue(), out);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + String.join(" ", cmd), e);
    }
  }

  @Override
  public void close() {
    // the unit outlives the agent: systemd keeps it in the state the agent last chose
  }

  @Override
  public String toString() {
    return "systemd unit " + unit;
  }
}
