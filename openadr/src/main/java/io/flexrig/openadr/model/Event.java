package io.flexrig.openadr.model;

import java.util.List;

/**
 * A demand-response request to VENs. It has no type of its own: its payloads (SIMPLE, PRICE,
 * DISPATCH_SETPOINT...) say what it asks for. A lower {@code priority} number wins.
 */
public record Event(
    String id,
    String createdDateTime,
    String modificationDateTime,
    String objectType,
    String programID,
    String eventName,
    String duration,
    Integer priority,
    List<String> targets,
    List<Object> reportDescriptors,
    List<EventPayloadDescriptor> payloadDescriptors,
    IntervalPeriod intervalPeriod,
    List<Interval> intervals) {

  /** A request body for {@code POST /events} or {@code PUT /events/{id}}. */
  public static Event request(
      String programID,
      String eventName,
      Integer priority,
      List<EventPayloadDescriptor> payloadDescriptors,
      IntervalPeriod intervalPeriod,
      List<Interval> intervals) {
    return new Event(
        null,
        null,
        null,
        null,
        programID,
        eventName,
        null,
        priority,
        null,
        null,
        payloadDescriptors,
        intervalPeriod,
        intervals);
  }
}
