package io.flexrig.openadr.model;

/** Context for the event payloads of one type: units ({@code KW}, {@code KWH}) and currency. */
public record EventPayloadDescriptor(
    String objectType, String payloadType, String units, String currency) {
  public static final String OBJECT_TYPE = "EVENT_PAYLOAD_DESCRIPTOR";

  public static EventPayloadDescriptor of(String payloadType, String units, String currency) {
    return new EventPayloadDescriptor(OBJECT_TYPE, payloadType, units, currency);
  }
}
