package io.flexrig.controller.fleet;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The fleet in memory: rigs by id, their sessions, latest samples and held commands.
 *
 * <p>Thread-safe without a global lock: the telemetry hot path is one map lookup and one atomic
 * compare-and-set per sample. Site figures are summed on demand over the site's rigs, which costs
 * O(rigs of the site) per read and nothing per sample.
 */
public final class FleetState {

  /** Samples older than this do not count toward site power. */
  public static final Duration DEFAULT_STALE_AFTER = Duration.ofSeconds(5);

  private final Clock clock;
  private final Duration staleAfter;
  private final ConcurrentHashMap<String, RigEntry> rigs = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Set<String>> rigIdsBySite = new ConcurrentHashMap<>();
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
    entry.latest.accumulateAndGet(
        sample, (old, next) -> old == null || next.sequence() > old.sequence() ? next : old);
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
    Set<String> ids = rigIdsBySite.get(siteId);
    return ids != null && !ids.isEmpty();
  }

  public Optional<RigView> rig(String rigId) {
    RigEntry entry = rigs.get(rigId);
    return entry == null ? Optional.empty() : Optional.of(view(entry, clock.instant()));
  }

  /** The site's rigs, sorted by rig id. */
  public List<RigView> rigsOfSite(String siteId) {
    Instant now = clock.instant();
    List<RigView> views = new ArrayList<>();
    for (String rigId : rigIdsBySite.getOrDefault(siteId, Set.of())) {
      RigEntry entry = rigs.get(rigId);
      if (entry != null) {
        views.add(view(entry, now));
      }
    }
    views.sort(java.util.Comparator.comparing(RigView::rigId));
    return views;
  }

  public Collection<String> sites() {
    return List.copyOf(rigIdsBySite.keySet());
  }

  /** The site's measured load and rig counts now. */
  public SiteLoad siteLoad(String siteId) {
    double measuredW = 0;
    double nameplateW = 0;
    double staleLastKnownW = 0;
    int measured = 0;
    int stale = 0;
    int connected = 0;
    int curtailed = 0;
    List<RigView> views = rigsOfSite(siteId);
    for (RigView rig : views) {
      nameplateW += rig.registration().nameplate().powerW();
      if (rig.connected()) {
        connected++;
      }
      if (rig.curtailed()) {
        curtailed++;
      }
      Optional<Double> power = rig.usablePowerW();
      if (power.isPresent()) {
        measuredW += power.get();
        measured++;
      } else {
        stale++;
        Optional<RigSample> last = rig.latest().filter(RigSample::powerUsable);
        if (last.isPresent()) {
          staleLastKnownW += last.get().powerW();
        }
      }
    }
    return new SiteLoad(
        siteId,
        measuredW,
        measured,
        stale,
        connected,
        views.size(),
        curtailed,
        nameplateW,
        staleLastKnownW);
  }

  private RigEntry entry(RigRegistration registration) {
    RigEntry entry =
        rigs.compute(
            registration.rigId(),
            (id, existing) -> {
              if (existing == null) {
                return new RigEntry(registration);
              }
              if (!existing.registration.siteId().equals(registration.siteId())) {
                Set<String> old = rigIdsBySite.get(existing.registration.siteId());
                if (old != null) {
                  old.remove(id);
                }
              }
              existing.registration = registration;
              return existing;
            });
    rigIdsBySite
        .computeIfAbsent(registration.siteId(), s -> ConcurrentHashMap.newKeySet())
        .add(registration.rigId());
    return entry;
  }

  private RigView view(RigEntry entry, Instant now) {
    RigSample latest = entry.latest.get();
    boolean fresh =
        latest != null
            && latest.powerUsable()
            && Duration.between(latest.observedAt(), now).compareTo(staleAfter) <= 0;
    return new RigView(
        entry.registration,
        entry.session != 0,
        Optional.ofNullable(latest),
        fresh,
        Optional.ofNullable(entry.command.get()));
  }

  private static final class RigEntry {
    volatile RigRegistration registration;
    volatile long session;
    volatile String lastAlarmCode;
    final AtomicReference<RigSample> latest = new AtomicReference<>();
    final AtomicReference<HeldCommand> command = new AtomicReference<>();
    final AtomicLong storedThrough = new AtomicLong();

    RigEntry(RigRegistration registration) {
      this.registration = registration;
    }
  }
}
