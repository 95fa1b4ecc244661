package io.flexrig.openadr.ven;

import io.flexrig.openadr.EventRef;
import io.flexrig.openadr.GridSignal;
import io.flexrig.openadr.GridSignalListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A listener that remembers every call, as the controller's dispatcher would receive them. */
final class RecordingListener implements GridSignalListener {
  record Call(EventRef event, List<GridSignal> signals) {}

  private final List<Call> calls = new CopyOnWriteArrayList<>();

  @Override
  public void onEvent(EventRef event, List<GridSignal> signals) {
    calls.add(new Call(event, signals));
  }

  List<Call> calls() {
    return List.copyOf(calls);
  }

  List<Call> callsFor(String eventId) {
    return calls.stream().filter(c -> c.event().eventId().equals(eventId)).toList();
  }
}
