package io.flexrig.agent.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's clock: read once from the board's wall clock at start, then advanced only by the
 * monotonic clock. A step of the wall clock (NTP correcting a board that has no battery-backed
 * clock, an operator's {@code date -s}) therefore moves neither the deadline nor the expiry of a
 * held curtailment: a forward step must not release a rig early, a backward step must not hold it
 * past the event.
 *
 * <p>Commands are written in the controller's time, so the clock aligns itself to the controller's
 * clock reported in each accepted hello when they differ by more than {@link #ALIGN_TOLERANCE}
 * (more than network delay); that deliberate step is logged. Between hellos the clock only drifts
 * with the board's oscillator (tens of ppm: well under a second a day).
 */
public final class SteadyClock extends Clock {
  /** Differences below this are network delay, not a wrong clock. */
  public static final Duration ALIGN_TOLERANCE = Duration.ofSeconds(2);

  private static final Logger log = LoggerFactory.getLogger(SteadyClock.class);

  private record Anchor(Instant at, long nanos) {}

  private final Clock wall;
  private final LongSupplier nanos;
  private volatile Anchor anchor;

  /**
   * @param wall the wall clock read at start (and compared against, for the log)
   * @param nanos a monotonic nanosecond counter, e.g. {@code System::nanoTime}
   */
  public SteadyClock(Clock wall, LongSupplier nanos) {
    this.wall = wall;
    this.nanos = nanos;
    this.anchor = new Anchor(wall.instant(), nanos.getAsLong());
  }

  /** Anchored to the system's UTC clock now, advanced by {@link System#nanoTime()}. */
  public static SteadyClock system() {
    return new SteadyClock(Clock.systemUTC(), System::nanoTime);
  }

  @Override
  public Instant instant() {
    Anchor a = anchor;
    return a.at().plusNanos(nanos.getAsLong() - a.nanos());
  }

  @Override
  public long millis() {
    return instant().toEpochMilli();
  }

  /**
   * Aligns to the controller's clock, read just now (a hello's {@code controller_time}).
   *
   * @return the step applied: zero when within {@link #ALIGN_TOLERANCE}
   */
  public Duration alignTo(Instant controllerTime) {
    long now = nanos.getAsLong();
    Anchor a = anchor;
    Duration step = Duration.between(a.at().plusNanos(now - a.nanos()), controllerTime);
    if (step.abs().compareTo(ALIGN_TOLERANCE) <= 0) {
      return Duration.ZERO;
    }
    anchor = new Anchor(controllerTime, now);
    log.warn(
        "event=clock_aligned step_ms={} wall_offset_ms={} reason=\"agent clock differed from the"
            + " controller's; commands are timed in the controller's clock\"",
        step.toMillis(),
        Duration.between(controllerTime, wall.instant()).toMillis());
    return step;
  }

  /** How far the board's wall clock is ahead of this clock (negative: behind). */
  public Duration wallOffset() {
    return Duration.between(instant(), wall.instant());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    if (ZoneOffset.UTC.equals(zone)) {
      return this;
    }
    throw new UnsupportedOperationException("the agent keeps time in UTC");
  }
}
