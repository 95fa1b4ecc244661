package io.flexrig.openadr.ven;

import io.flexrig.openadr.model.Event;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Remembers which version of each event the VEN has seen, keyed by id and {@code
 * modificationDateTime} (the VTN rewrites it on every change), so each version is acted on once
 * whether it arrives by poll or by webhook. Not thread-safe: the VEN uses it from one thread.
 */
final class EventTracker {
  private final Map<String, Event> known = new LinkedHashMap<>();

  /** What one poll of a program's events changed. */
  record Diff(List<Event> changed, List<Event> removed) {}

  /** Compares a complete listing of {@code programId}'s events with what was seen before. */
  Diff diff(String programId, List<Event> listing) {
    List<Event> changed = new ArrayList<>();
    Set<String> listed = new HashSet<>();
    for (Event event : listing) {
      listed.add(event.id());
      if (observe(event)) {
        changed.add(event);
      }
    }
    List<Event> removed = new ArrayList<>();
    for (var it = known.values().iterator(); it.hasNext(); ) {
      Event event = it.next();
      if (programId.equals(event.programID()) && !listed.contains(event.id())) {
        removed.add(event);
        it.remove();
      }
    }
    return new Diff(changed, removed);
  }

  /** Records {@code event}; true when its id or version is new. */
  boolean observe(Event event) {
    Event before = known.put(event.id(), event);
    return before == null
        || !Objects.equals(before.modificationDateTime(), event.modificationDateTime());
  }

  /** Drops a deleted event; the last version seen, if any. */
  Optional<Event> forget(String eventId) {
    return Optional.ofNullable(known.remove(eventId));
  }
}
