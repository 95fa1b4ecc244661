package io.flexrig.agent.systemd;

import io.flexrig.systemd.SystemdNotify;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells systemd the agent is alive only while its sampler is: READY=1 once the first snapshot
 * exists, then WATCHDOG=1 at half the unit's {@code WatchdogSec} while the newest snapshot is
 * fresh. A stuck sampler stops the pings and systemd restarts the unit ({@code
 * Restart=on-failure}).
 */
public final class ServiceHeartbeat implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServiceHeartbeat.class);

  private final SystemdNotify notify;
  private final Supplier<Instant> lastSample;
  private final Clock clock;
  private final Duration staleAfter;
  private final ScheduledExecutorService timer;
  private volatile boolean ready;

  /**
   * @param lastSample when the newest snapshot was sampled, null before the first
   * @param staleAfter how old the newest snapshot may be while the sampler counts as alive
   */
  public ServiceHeartbeat(
      SystemdNotify notify, Supplier<Instant> lastSample, Clock clock, Duration staleAfter) {
    this.notify = notify;
    this.lastSample = lastSample;
    this.clock = clock;
    this.staleAfter = staleAfter;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "systemd-heartbeat");
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts the pings; the period is half of {@code WATCHDOG_USEC}, or 1 s without a watchdog. */
  public ServiceHeartbeat start() {
    long period = pingPeriodMillis(System.getenv("WATCHDOG_USEC"));
    timer.scheduleAtFixedRate(this::beat, 0, period, TimeUnit.MILLISECONDS);
    return this;
  }

  static long pingPeriodMillis(String watchdogUsec) {
    try {
      long usec = Long.parseLong(watchdogUsec == null ? "" : watchdogUsec.trim());
      return Math.max(100, usec / 2000);
    } catch (NumberFormatException e) {
      return 1000;
    }
  }

  /** Whether the sampler produced a snapshot within {@code staleAfter} of now. */
  boolean alive() {
    Instant last = lastSample.get();
    return last != null && !last.isBefore(clock.instant().minus(staleAfter));
  }

  void beat() {
    try {
      if (!alive()) {
        return;
      }
      if (!ready) {
        notify.ready();
        ready = true;
        log.info("event=ready notified=systemd");
      }
      notify.watchdog();
    } catch (IOException | RuntimeException e) {
      log.warn("event=sd_notify_failed reason={}", e.toString());
    }
  }

  boolean ready() {
    return ready;
  }

  /** Stops the pings and tells systemd the service is stopping. */
  @Override
  public void close() {
    timer.shutdownNow();
    try {
      notify.stopping();
    } catch (IOException | RuntimeException e) {
      log.warn("event=sd_notify_failed reason={}", e.toString());
    }
  }
}
