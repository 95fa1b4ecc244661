package io.flexrig.openadr.model;

import java.util.List;

/**
 * A demand-response program (tariff, CPP, capacity program). Its payload descriptors are the
 * defaults for the events of the program; the list mixes event and report descriptors, told apart
 * by {@code objectType}, so only the event ones are kept here.
 */
public record Program(
    String id,
    String createdDateTime,
    String modificationDateTime,
    String objectType,
    String programName,
    IntervalPeriod intervalPeriod,
    List<EventPayloadDescriptor> payloadDescriptors,
    List<String> targets) {

  /** A request body for {@code POST /programs}. */
  public static Program request(String programName, List<EventPayloadDescriptor> descriptors) {
    return new Program(null, null, null, null, programName, null, descriptors, null);
  }
}
