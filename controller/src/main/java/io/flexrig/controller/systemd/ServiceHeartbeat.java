package io.flexrig.controller.systemd;

import io.flexrig.systemd.SystemdNotify;
import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * READY=1 once the controller's gRPC server is up, then WATCHDOG=1 at half the unit's {@code
 * WatchdogSec} while the liveness check answers; STOPPING=1 at close.
 */
public final class ServiceHeartbeat implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServiceHeartbeat.class);

  private final SystemdNotify notify;
  private final BooleanSupplier alive;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "systemd-heartbeat");
            t.setDaemon(true);
            return t;
          });

  /**
   * @param alive answers quickly and true while the service does its work; a check that hangs stops
   *     the pings, which is the point
   */
  public ServiceHeartbeat(SystemdNotify notify, BooleanSupplier alive) {
    this.notify = notify;
    this.alive = alive;
  }

  /** Notifies READY and starts the pings; the period is half of {@code WATCHDOG_USEC}. */
  public ServiceHeartbeat start() {
    try {
      notify.ready();
      log.info("event=ready notified=systemd enabled={}", notify.enabled());
    } catch (IOException | RuntimeException e) {
      log.warn("event=sd_notify_failed reason={}", e.toString());
    }
    long period = pingPeriodMillis(System.getenv("WATCHDOG_USEC"));
    timer.scheduleAtFixedRate(this::beat, period, period, TimeUnit.MILLISECONDS);
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

  private void beat() {
    try {
      if (alive.getAsBoolean()) {
        notify.watchdog();
      }
    } catch (IOException | RuntimeException e) {
      log.warn("event=sd_notify_failed reason={}", e.toString());
    }
  }

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
