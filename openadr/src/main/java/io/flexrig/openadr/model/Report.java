package io.flexrig.openadr.model;

import java.util.List;

/** Data a VEN reports against an event, per resource and interval. */
public record Report(
    String id,
    String createdDateTime,
    String modificationDateTime,
    String objectType,
    String clientID,
    String eventID,
    String clientName,
    String reportName,
    List<ReportPayloadDescriptor> payloadDescriptors,
    List<ReportResource> resources) {

  /** A request body for {@code POST /reports}. */
  public static Report request(
      String eventID,
      String clientName,
      String reportName,
      List<ReportPayloadDescriptor> payloadDescriptors,
      List<ReportResource> resources) {
    return new Report(
        null,
        null,
        null,
        null,
        null,
        eventID,
        clientName,
        reportName,
        payloadDescriptors,
        resources);
  }
}
