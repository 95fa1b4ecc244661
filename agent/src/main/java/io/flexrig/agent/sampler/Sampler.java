package io.flexrig.agent.sampler;

import io.flexrig.agent.source.PolledSource;
import io.flexrig.agent.source.Quality;
import io.flexrig.agent.source.Reading;
import io.flexrig.agent.source.StreamingSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one schedule per polled source (its interval plus a small jitter, so sources that share a
 * bus or a host do not fire in lock-step), keeps the latest reading of every source, and assembles
 * a {@link RigSnapshot} every telemetry interval for its listeners.
 *
 * <p>A poll still running when its next tick comes is an overrun: the tick is skipped and counted,
 * never queued. A poll running past its timeout is interrupted and the source's readings turn BAD.
 * Each polled source has at most one poll in flight, and the pool has a thread per polled source,
 * so a dead source never delays another.
 */
public final class Sampler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Sampler.class);

  private final Clock clock;
  private final Duration snapshotInterval;
  private final Staleness staleness;
  private final Map<String, Reading> latest = new ConcurrentHashMap<>();
  private final List<Schedule> schedules = new ArrayList<>();
  private final List<StreamingSource> streaming = new ArrayList<>();
  private final List<Consumer<RigSnapshot>> listeners = new CopyOnWriteArrayList<>();
  private final List<ReadingListener> readingListeners = new CopyOnWriteArrayList<>();
  private final List<SourceHealthListener> healthListeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService ticker;
  private ThreadPoolExecutor pollers;
  private volatile RigSnapshot lastSnapshot;
  private boolean started;

  public Sampler(Clock clock, Duration snapshotInterval) {
    this(clock, snapshotInterval, Staleness.forInterval(snapshotInterval));
  }

  public Sampler(Clock clock, Duration snapshotInterval, Staleness staleness) {
    this.clock = clock;
    this.snapshotInterval = snapshotInterval;
    this.staleness = staleness;
    ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, daemon("sampler-tick"));
    t.setRemoveOnCancelPolicy(true);
    this.ticker = t;
  }

  /** Polls the source every {@code interval}; a poll taking longer than {@code timeout} fails. */
  public synchronized void addPolled(PolledSource source, Duration interval, Duration timeout) {
    if (started) {
      throw new IllegalStateException("add sources before start()");
    }
    schedules.add(new Schedule(source, interval, timeout));
  }

  public synchronized void addStreaming(StreamingSource source) {
    if (started) {
      throw new IllegalStateException("add sources before start()");
    }
    streaming.add(source);
  }

  /** Told when a polled source starts failing and when it answers again. */
  public interface SourceHealthListener {
    /** The source failed after answering (or failed its first poll); must not block. */
    void sourceDown(String source, String reason);

    /** The source answered again after failing; must not block. */
    void sourceUp(String source);
  }

  /** Registers a listener for source failures and recoveries (transitions only). */
  public void onSourceHealth(SourceHealthListener listener) {
    healthListeners.add(listener);
  }

  /** Called on the sampler's tick thread with each new snapshot; must not block. */
  public void onSnapshot(Consumer<RigSnapshot> listener) {
    listeners.add(listener);
  }

  public synchronized void start() {
    if (started) {
      return;
    }
    started = true;
    int threads = Math.max(1, schedules.size());
    pollers =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(threads),
            daemon("sampler-poll"));
    pollers.allowCoreThreadTimeOut(true);
    for (StreamingSource s : streaming) {
      try {
        s.start(this::accept);
      } catch (RuntimeException e) {
        log.warn("streaming source {} did not start: {}", s.name(), e.toString());
      }
    }
    for (Schedule s : schedules) {
      long jitter = s.jitterNanos();
      s.nextDueNanos = System.nanoTime() + jitter;
      ticker.schedule(s::tick, jitter, TimeUnit.NANOSECONDS);
    }
    long period = snapshotInterval.toNanos();
    ticker.scheduleAtFixedRate(this::publishSnapshot, period, period, TimeUnit.NANOSECONDS);
  }

  /** Stores a reading (from a streaming source or a poll). */
  public void accept(Reading reading) {
    latest.put(reading.name(), reading);
    for (ReadingListener l : readingListeners) {
      if (l.name().equals(reading.name())) {
        l.listener().accept(reading);
      }
    }
  }

  /**
   * Called with every reading of this name as it arrives (on the source's delivery thread, e.g.
   * Milo's), before any snapshot: for what must react faster than the snapshot interval. Must not
   * block.
   */
  public void onReading(String name, Consumer<Reading> listener) {
    readingListeners.add(new ReadingListener(name, listener));
  }

  private record ReadingListener(String name, Consumer<Reading> listener) {}

  /** A snapshot of the rig now, from the latest readings. */
  public RigSnapshot snapshot() {
    return RigSnapshot.assemble(latest.values(), clock.instant(), staleness);
  }

  /** The last snapshot handed to listeners, or null before the first. */
  public RigSnapshot lastSnapshot() {
    return lastSnapshot;
  }

  /** Counters of every polled source, by name. */
  public Map<String, SourceStats> stats() {
    Map<String, SourceStats> out = new java.util.TreeMap<>();
    for (Schedule s : schedules) {
      out.put(
          s.source.name(),
          new SourceStats(s.polls.get(), s.failures.get(), s.overruns.get(), s.timeouts.get()));
    }
    return out;
  }

  private void publishSnapshot() {
    try {
      RigSnapshot snapshot = snapshot();
      lastSnapshot = snapshot;
      for (Consumer<RigSnapshot> l : listeners) {
        try {
          l.accept(snapshot);
        } catch (RuntimeException e) {
          log.warn("snapshot listener failed", e);
        }
      }
    } catch (RuntimeException e) {
      log.error("assembling a snapshot failed", e);
    }
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    if (pollers != null) {
      pollers.shutdownNow();
    }
    for (StreamingSource s : streaming) {
      s.close();
    }
    for (Schedule s : schedules) {
      s.source.close();
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Polls, failures, skipped ticks and timeouts of one polled source since start. */
  public record SourceStats(long polls, long failures, long overruns, long timeouts) {}

  private final class Schedule {
    final PolledSource source;
    final Duration interval;
    final Duration timeout;
    final AtomicLong polls = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    final AtomicLong overruns = new AtomicLong();
    final AtomicLong timeouts = new AtomicLong();
    final Set<String> names = ConcurrentHashMap.newKeySet();
    // Touched only on the tick thread.
    long nextDueNanos;
    Future<?> inFlight;
    long inFlightSinceNanos;
    boolean timedOut;
    volatile boolean down;

    Schedule(PolledSource source, Duration interval, Duration timeout) {
      if (interval.isZero() || interval.isNegative()) {
        throw new IllegalArgumentException(source.name() + ": interval must be positive");
      }
      this.source = source;
      this.interval = interval;
      this.timeout = timeout;
    }

    long jitterNanos() {
      long max = interval.toNanos() / 20; // up to 5 % of the interval
      return max <= 0 ? 0 : ThreadLocalRandom.current().nextLong(max);
    }

    void tick() {
      try {
        long now = System.nanoTime();
        if (inFlight != null && !inFlight.isDone()) {
          overruns.incrementAndGet();
          if (!timedOut && now - inFlightSinceNanos > timeout.toNanos()) {
            timedOut = true;
            timeouts.incrementAndGet();
            inFlight.cancel(true);
            log.warn("source {} did not answer within {}", source.name(), timeout);
            degrade();
            markDown("no answer within " + timeout);
          }
        } else {
          timedOut = false;
          inFlightSinceNanos = now;
          inFlight = pollers.submit(this::poll);
        }
      } catch (java.util.concurrent.RejectedExecutionException e) {
        return; // shutting down
      } finally {
        if (!ticker.isShutdown()) {
          nextDueNanos += interval.toNanos();
          long now = System.nanoTime();
          if (now - nextDueNanos > interval.toNanos()) {
            nextDueNanos = now; // fell far behind (suspend, GC): skip the missed ticks, no burst
          }
          long delay = Math.max(0, nextDueNanos - now) + jitterNanos();
          try {
            ticker.schedule(this::tick, delay, TimeUnit.NANOSECONDS);
          } catch (java.util.concurrent.RejectedExecutionException ignored) {
            // shutting down
          }
        }
      }
    }

    void poll() {
      polls.incrementAndGet();
      try {
        List<Reading> readings = source.sample();
        if (Thread.currentThread().isInterrupted()) {
          return; // timed out meanwhile; its readings were already degraded
        }
        for (Reading r : readings) {
          names.add(r.name());
          latest.put(r.name(), r);
        }
        if (down) {
          down = false;
          log.info("source {} answers again", source.name());
          for (SourceHealthListener l : healthListeners) {
            l.sourceUp(source.name());
          }
        }
      } catch (Exception e) {
        failures.incrementAndGet();
        log.debug("source {} failed: {}", source.name(), e.toString());
        degrade();
        markDown(e.getMessage() == null ? e.toString() : e.getMessage());
      }
    }

    void markDown(String reason) {
      if (!down) {
        down = true;
        log.warn("source {} is down: {}", source.name(), reason);
        for (SourceHealthListener l : healthListeners) {
          l.sourceDown(source.name(), reason);
        }
      }
    }

    /** The source failed as a whole: everything it reported is no longer to be trusted. */
    void degrade() {
      Instant now = clock.instant();
      for (String name : names) {
        latest.computeIfPresent(
            name,
            (k, r) ->
                r.quality() == Quality.BAD
                    ? r
                    : new Reading(r.name(), r.value(), r.unit(), Quality.BAD, now));
      }
    }
  }
}
