package io.flexrig.openadr;

import java.util.List;

/**
 * Implemented by whoever acts on grid signals (the fleet controller's dispatcher). Called on the
 * VEN's own thread: return quickly and hand heavy work elsewhere.
 */
@FunctionalInterface
public interface GridSignalListener {
  /**
   * Called exactly once for each new or changed event, and once when an event is deleted or
   * cancelled. {@code signals} holds every signal the event carries (empty when it carries nothing
   * the VEN understands), or a single {@link EventCancelled}. A changed event replaces everything
   * an earlier call said about the same event id.
   */
  void onEvent(EventRef event, List<GridSignal> signals);
}
