package io.flexrig.openadr;

import java.time.Duration;
import java.time.Instant;

/**
 * What the grid asks of the site, decoded from one OpenADR event. Power is in kW, prices in the
 * event's currency per kWh. Each signal names its event, and its window in absolute time.
 */
public sealed interface GridSignal
    permits ReduceLoad, SetpointSchedule, ImportCapacityLimit, PriceSignal, EventCancelled {

  EventRef event();

  Instant start();

  Duration duration();

  default String eventId() {
    return event().eventId();
  }

  default Instant end() {
    return start().plus(duration());
  }
}
