package io.flexrig.controller.fleet;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The fleet in memory: rigs by id, their sessions, latest samples and held commands.
 *
 * <p>Thread-safe without a global lock. Each site keeps an index of its rigs sorted by rig id
 * (updated when a rig registers or moves, never per read) and a running sum of its rigs' last
 * usable power, so the figure a control loop reads every tick ({@link #estimatedW}) costs O(1)
 * instead of a pass over 100,000 rigs. The sum is exact: it is kept in integer microwatts and each
 * change replaces the rig's previous contribution under the rig's own lock, which the telemetry
 * path takes uncontended (one agent per rig). Figures that depend on the time of reading (fresh
 * versus stale) are summed by one pass over the site's rigs without copying them.
 */
public final class FleetState {

  private static final double MICRO = 1_000_000;

  /** Samples older than this do not count toward site power. */
  public static final Duration DEFAULT_STALE_AFTER = Duration.ofSeconds(5);

  private final Clock clock;
  private final Duration staleAfter;
  private final ConcurrentHashMap<String, RigEntry> rigs = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, SiteRigs> sites = new ConcurrentHashMap<>();
  private final AtomicLong sessionIds = new AtomicLong();
  private final LongAdder samplesReceived = new LongAdder();

  public FleetState(Clock clock) {
    this(clock, DEFAULT_STALE_AFTER);
  }

  public FleetState(Clock clock, Duration staleAfter) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.staleAfter = Objects.requireNonNull(staleAfter, "staleAfter");
  }

  /** Adds a rig known from the store (no session yet). */
  public void restore(RigRegistration registration, long storedThroughSequence) {
    RigEntry entry = entry(registration);
    entry.storedThrough.accumulateAndGet(storedThroughSequence, Math::max);
  }

  /**
   * Records a hello: the rig is known (or updated) and connected under a new session id, which the
   * caller passes back to {@link #disconnected} so a replaced session cannot disconnect its
   * successor.
   */
  public long connected(RigRegistration registration) {
    RigEntry entry = entry(registration);
    long session = sessionIds.incrementAndGet();
    entry.session = session;
    return session;
  }

  /** Marks the rig disconnected if {@code session} is still its current session. */
  public void disconnected(String rigId, long session) {
    RigEntry entry = rigs.get(rigId);
    if (entry != null && entry.session == session) {
      entry.session = 0;
    }
  }

  /** Records a sample as the rig's latest unless a newer sequence is already there. */
  public void recordSample(String rigId, RigSample sample) {
    samplesReceived.increment();
    RigEntry entry = rigs.get(rigId);
    if (entry == null) {
      return;
    }
    synchronized (entry) {
      RigSample old = entry.latest;
      if (old == null || sample.sequence() > old.sequence()) {
        entry.latest = sample;
        long delta = usableMicroW(sample) - usableMicroW(old);
        // A rig not yet in its site's index is counted with its latest sample when it is added.
        if (delta != 0 && entry.site != null) {
          entry.site.lastUsableMicroW.addAndGet(delta);
        }
      }
    }
  }

  /** Samples recorded since start, of known rigs or not (the ingest rate, for /metrics). */
  public long samplesReceived() {
    return samplesReceived.sum();
  }

  /** Highest telemetry sequence stored durably for the rig (0 if none). */
  public long storedThrough(String rigId) {
    RigEntry entry = rigs.get(rigId);
    return entry == null ? 0 : entry.storedThrough.get();
  }

  /** Raises the rig's durably stored sequence; returns the new value. */
  public long advanceStoredThrough(String rigId, long sequence) {
    RigEntry entry = rigs.get(rigId);
    return entry == null ? sequence : entry.storedThrough.accumulateAndGet(sequence, Math::max);
  }

  /**
   * The rig now holds this command. Called before the command is sent, so an acknowledgement that
   * comes back faster than the sender returns still finds it.
   *
   * @return the command held before, or null
   */
  public HeldCommand holdCommand(String rigId, HeldCommand command) {
    RigEntry entry = rigs.get(rigId);
    return entry == null ? null : entry.command.getAndSet(command);
  }

  /** The command could not be sent after all: the rig holds what it held before, if unchanged. */
  public void commandNotSent(String rigId, String commandId, HeldCommand previous) {
    RigEntry entry = rigs.get(rigId);
    if (entry != null) {
      entry.command.updateAndGet(
          held -> held != null && held.commandId().equals(commandId) ? previous : held);
    }
  }

  /** The agent answered a command; a rejected command is no longer held. */
  public void commandAcknowledged(String rigId, String commandId, boolean accepted) {
    RigEntry entry = rigs.get(rigId);
    if (entry == null) {
      return;
    }
    entry.command.updateAndGet(
        held ->
            held == null || !held.commandId().equals(commandId)
                ? held
                : accepted ? held.acknowledged(true) : null);
  }

  /** The agent reported how a command ended; kept on the held command for status views. */
  public void commandOutcome(String rigId, String commandId, String outcome) {
    RigEntry entry = rigs.get(rigId);
    if (entry != null) {
      entry.command.updateAndGet(
          held ->
              held != null && held.commandId().equals(commandId) ? held.finished(outcome) : held);
    }
  }

  /** Clears the rig's held command if it serves the given event. */
  public void releaseCommand(String rigId, String eventId) {
    RigEntry entry = rigs.get(rigId);
    if (entry != null) {
      entry.command.updateAndGet(
          held -> held != null && held.eventId().equals(eventId) ? null : held);
    }
  }

  /** Records an alarm from the rig (the latest is kept for status views). */
  public void alarmRaised(String rigId, String code) {
    RigEntry entry = rigs.get(rigId);
    if (entry != null) {
      entry.lastAlarmCode = code;
    }
  }

  public boolean knowsSite(String siteId) {
    SiteRigs site = sites.get(siteId);
    return site != null && site.known.get() > 0;
  }

  public Optional<RigView> rig(String rigId) {
    RigEntry entry = rigs.get(rigId);
    return entry == null ? Optional.empty() : Optional.of(view(entry, clock.instant()));
  }

  /** The site's rigs, sorted by rig id (the index is kept sorted; nothing is sorted per call). */
  public List<RigView> rigsOfSite(String siteId) {
    SiteRigs site = sites.get(siteId);
    if (site == null) {
      return List.of();
    }
    Instant now = clock.instant();
    List<RigView> views = new ArrayList<>(Math.max(0, site.known.get()));
    for (RigEntry entry : site.rigs.values()) {
      views.add(view(entry, now));
    }
    return views;
  }

  public Collection<String> sites() {
    return List.copyOf(sites.keySet());
  }

  /**
   * The site's estimated load now in watts: the last usable power of each of its rigs, fresh or
   * stale (what {@link SiteLoad#estimatedW()} returns), read from the running sum in O(1).
   */
  public double estimatedW(String siteId) {
    SiteRigs site = sites.get(siteId);
    return site == null ? 0 : site.lastUsableMicroW.get() / MICRO;
  }

  /** How many rigs of the site hold a command of the event (one pass, nothing copied). */
  public int rigsHoldingCommandOf(String siteId, String eventId) {
    SiteRigs site = sites.get(siteId);
    if (site == null) {
      return 0;
    }
    int holding = 0;
    for (RigEntry entry : site.rigs.values()) {
      HeldCommand held = entry.command.get();
      if (held != null && held.eventId().equals(eventId)) {
        holding++;
      }
    }
    return holding;
  }

  /** The site's measured load and rig counts now (one pass over its rigs, nothing copied). */
  public SiteLoad siteLoad(String siteId) {
    SiteRigs site = sites.get(siteId);
    if (site == null) {
      return new SiteLoad(siteId, 0, 0, 0, 0, 0, 0, 0, 0);
    }
    Instant now = clock.instant();
    double measuredW = 0;
    double nameplateW = 0;
    double staleLastKnownW = 0;
    int measured = 0;
    int stale = 0;
    int connected = 0;
    int curtailed = 0;
    int known = 0;
    for (RigEntry entry : site.rigs.values()) {
      known++;
      nameplateW += entry.registration.nameplate().powerW();
      if (entry.session != 0) {
        connected++;
      }
      RigSample latest = entry.latest;
      if (entry.command.get() != null || (latest != null && latest.activity().shedding())) {
        curtailed++;
      }
      if (fresh(latest, now)) {
        measuredW += latest.powerW();
        measured++;
      } else {
        stale++;
        if (latest != null && latest.powerUsable()) {
          staleLastKnownW += latest.powerW();
        }
      }
    }
    return new SiteLoad(
        siteId,
        measuredW,
        measured,
        stale,
        connected,
        known,
        curtailed,
        nameplateW,
        staleLastKnownW);
  }

  private RigEntry entry(RigRegistration registration) {
    RigEntry entry = rigs.computeIfAbsent(registration.rigId(), id -> new RigEntry(registration));
    SiteRigs target = sites.computeIfAbsent(registration.siteId(), id -> new SiteRigs());
    synchronized (entry) {
      if (entry.site != target) {
        if (entry.site != null) {
          entry.site.remove(entry);
        }
        entry.registration = registration;
        entry.site = target;
        target.add(entry);
      } else {
        entry.registration = registration;
      }
    }
    return entry;
  }

  private boolean fresh(RigSample latest, Instant now) {
    return latest != null
        && latest.powerUsable()
        && Duration.between(latest.observedAt(), now).compareTo(staleAfter) <= 0;
  }

  private static long usableMicroW(RigSample sample) {
    return sample == null || !sample.powerUsable() ? 0 : Math.round(sample.powerW() * MICRO);
  }

  private RigView view(RigEntry entry, Instant now) {
    RigSample latest = entry.latest;
    return new RigView(
        entry.registration,
        entry.session != 0,
        Optional.ofNullable(latest),
        fresh(latest, now),
        Optional.ofNullable(entry.command.get()));
  }

  /**
   * One site's rigs, sorted by rig id, with running figures. Changed only under the lock of the rig
   * being added, removed or updated, so each rig's contribution is replaced exactly once.
   */
  private static final class SiteRigs {
    final ConcurrentSkipListMap<String, RigEntry> rigs = new ConcurrentSkipListMap<>();
    final AtomicInteger known = new AtomicInteger();
    final AtomicLong lastUsableMicroW = new AtomicLong();

    /** Caller holds the entry's lock. */
    void add(RigEntry entry) {
      rigs.put(entry.registration.rigId(), entry);
      known.incrementAndGet();
      lastUsableMicroW.addAndGet(usableMicroW(entry.latest));
    }

    /** Caller holds the entry's lock. */
    void remove(RigEntry entry) {
      rigs.remove(entry.registration.rigId(), entry);
      known.decrementAndGet();
      lastUsableMicroW.addAndGet(-usableMicroW(entry.latest));
    }
  }

  private static final class RigEntry {
    volatile RigRegistration registration;
    volatile long session;
    volatile String lastAlarmCode;
    volatile RigSample latest;
    volatile SiteRigs site;
    final AtomicReference<HeldCommand> command = new AtomicReference<>();
    final AtomicLong storedThrough = new AtomicLong();

    RigEntry(RigRegistration registration) {
      this.registration = registration;
    }
  }
}
