package io.flexrig.openadr.ven;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexrig.openadr.model.Event;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventTrackerTest {
  private final EventTracker tracker = new EventTracker();

  @Test
  void eachVersionOfAnEventIsReportedOnce() {
    assertThat(tracker.diff("p1", List.of(event("e1", "p1", "t1"))).changed()).hasSize(1);
    assertThat(tracker.diff("p1", List.of(event("e1", "p1", "t1"))).changed()).isEmpty();
    assertThat(tracker.diff("p1", List.of(event("e1", "p1", "t2"))).changed())
        .extracting(Event::modificationDateTime)
        .containsExactly("t2");
  }

  @Test
  void anEventMissingFromItsProgramsListingIsRemoved() {
    tracker.diff("p1", List.of(event("e1", "p1", "t1"), event("e2", "p1", "t1")));
    tracker.diff("p2", List.of(event("e3", "p2", "t1")));

    EventTracker.Diff diff = tracker.diff("p1", List.of(event("e2", "p1", "t1")));

    assertThat(diff.removed()).extracting(Event::id).containsExactly("e1");
    assertThat(tracker.diff("p2", List.of(event("e3", "p2", "t1"))).removed()).isEmpty();
  }

  @Test
  void anEventSeenByWebhookIsNotReportedAgainByThePoll() {
    assertThat(tracker.observe(event("e1", "p1", "t1"))).isTrue();

    assertThat(tracker.diff("p1", List.of(event("e1", "p1", "t1"))).changed()).isEmpty();
    assertThat(tracker.forget("e1")).isPresent();
    assertThat(tracker.forget("e1")).isEmpty();
  }

  private static Event event(String id, String programId, String modified) {
    return new Event(
        id, "t0", modified, "EVENT", programId, null, null, null, null, null, null, null,
        List.of());
  }
}
