package io.flexrig.openadr.model;

/** Context for the report payloads of one type: reading type, units, accuracy, confidence. */
public record ReportPayloadDescriptor(
    String objectType,
    String payloadType,
    String readingType,
    String units,
    Double accuracy,
    Integer confidence) {
  public static final String OBJECT_TYPE = "REPORT_PAYLOAD_DESCRIPTOR";

  public static ReportPayloadDescriptor of(String payloadType, String readingType, String units) {
    return new ReportPayloadDescriptor(OBJECT_TYPE, payloadType, readingType, units, null, null);
  }
}
