package io.flexrig.openadr.vtn;

import com.fasterxml.jackson.databind.JsonNode;
import io.flexrig.openadr.model.IsoDuration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The required properties, enumerations and formats of the spec's request schemas, checked cheaply
 * so a client that leaves one out gets a 400 naming it. Each method mirrors one schema of
 * openadr3.yaml (the contract test holds them to the document).
 */
final class RequestCheck {
  private static final Pattern OBJECT_ID = Pattern.compile("^[a-zA-Z0-9_-]{1,128}$");
  private static final Set<String> OBJECT_TYPES =
      Set.of("PROGRAM", "EVENT", "REPORT", "SUBSCRIPTION", "VEN", "RESOURCE");
  private static final Set<String> OPERATIONS = Set.of("READ", "CREATE", "UPDATE", "DELETE");

  private final List<String> errors = new ArrayList<>();

  static List<String> programRequest(JsonNode body) {
    RequestCheck c = new RequestCheck();
    c.required(body, "programRequest", "programName");
    c.intervalPeriod(body.get("intervalPeriod"), "programRequest.intervalPeriod");
    return c.errors;
  }

  static List<String> eventRequest(JsonNode body) {
    RequestCheck c = new RequestCheck();
    c.required(body, "eventRequest", "programID");
    c.objectId(body.get("programID"), "eventRequest.programID");
    JsonNode priority = body.get("priority");
    if (priority != null && !priority.isNull() && !(priority.isInt() && priority.asInt() >= 0)) {
      c.errors.add("eventRequest.priority must be an integer >= 0");
    }
    c.duration(body.get("duration"), "eventRequest.duration");
    c.descriptors(body.get("payloadDescriptors"), "eventRequest", "EVENT_PAYLOAD_DESCRIPTOR");
    c.intervalPeriod(body.get("intervalPeriod"), "eventRequest.intervalPeriod");
    c.intervals(body.get("intervals"), "eventRequest.intervals");
    return c.errors;
  }

  static List<String> reportRequest(JsonNode body) {
    RequestCheck c = new RequestCheck();
    c.required(body, "reportRequest", "eventID", "clientName", "resources");
    c.objectId(body.get("eventID"), "reportRequest.eventID");
    c.descriptors(body.get("payloadDescriptors"), "reportRequest", "REPORT_PAYLOAD_DESCRIPTOR");
    JsonNode resources = body.get("resources");
    if (resources != null && resources.isArray()) {
      for (int i = 0; i < resources.size(); i++) {
        String where = "reportRequest.resources[" + i + "]";
        c.required(resources.get(i), where, "resourceName", "intervals");
        c.intervalPeriod(resources.get(i).get("intervalPeriod"), where + ".intervalPeriod");
        c.intervals(resources.get(i).get("intervals"), where + ".intervals");
      }
    } else if (resources != null) {
      c.errors.add("reportRequest.resources must be an array");
    }
    return c.errors;
  }

  static List<String> subscriptionRequest(JsonNode body) {
    RequestCheck c = new RequestCheck();
    c.required(body, "subscriptionRequest", "clientName", "objectOperations");
    c.objectId(body.get("programID"), "subscriptionRequest.programID");
    JsonNode operations = body.get("objectOperations");
    if (operations != null && operations.isArray()) {
      for (int i = 0; i < operations.size(); i++) {
        String where = "subscriptionRequest.objectOperations[" + i + "]";
        JsonNode op = operations.get(i);
        c.required(op, where, "objects", "operations", "callbackUrl");
        c.enumerated(op.get("objects"), OBJECT_TYPES, where + ".objects");
        c.enumerated(op.get("operations"), OPERATIONS, where + ".operations");
      }
    }
    return c.errors;
  }

  /** venRequest is oneOf VenVenRequest / BlVenRequest, told apart by objectType. */
  static List<String> venRequest(JsonNode body) {
    RequestCheck c = new RequestCheck();
    String type = body.path("objectType").asText("");
    switch (type) {
      case "VEN_VEN_REQUEST" -> c.required(body, "VenVenRequest", "objectType", "venName");
      case "BL_VEN_REQUEST" ->
          c.required(body, "BlVenRequest", "objectType", "clientID", "venName");
      default -> c.errors.add("venRequest.objectType must be VEN_VEN_REQUEST or BL_VEN_REQUEST");
    }
    return c.errors;
  }

  static List<String> clientCredentialRequest(JsonNode body) {
    RequestCheck c = new RequestCheck();
    c.required(body, "clientCredentialRequest", "grant_type", "client_id", "client_secret");
    if (body.has("grant_type") && !"client_credentials".equals(body.get("grant_type").asText())) {
      c.errors.add("clientCredentialRequest.grant_type must be client_credentials");
    }
    return c.errors;
  }

  private void required(JsonNode object, String where, String... names) {
    if (object == null || !object.isObject()) {
      errors.add(where + " must be an object");
      return;
    }
    for (String name : names) {
      JsonNode value = object.get(name);
      if (value == null || value.isNull()) {
        errors.add(where + "." + name + " is required");
      }
    }
  }

  private void objectId(JsonNode id, String where) {
    if (id != null
        && !id.isNull()
        && !(id.isTextual() && OBJECT_ID.matcher(id.asText()).matches())) {
      errors.add(where + " is not an objectID");
    }
  }

  private void enumerated(JsonNode array, Set<String> allowed, String where) {
    if (array == null) {
      return;
    }
    if (!array.isArray()) {
      errors.add(where + " must be an array");
      return;
    }
    for (JsonNode item : array) {
      if (!allowed.contains(item.asText())) {
        errors.add(where + " has " + item + ", not one of " + allowed);
      }
    }
  }

  private void descriptors(JsonNode array, String where, String objectType) {
    if (array == null || array.isNull()) {
      return;
    }
    for (int i = 0; i < array.size(); i++) {
      String at = where + ".payloadDescriptors[" + i + "]";
      required(array.get(i), at, "objectType", "payloadType");
      if (array.get(i).has("objectType")
          && !objectType.equals(array.get(i).get("objectType").asText())) {
        errors.add(at + ".objectType must be " + objectType);
      }
    }
  }

  private void intervals(JsonNode array, String where) {
    if (array == null || array.isNull()) {
      return;
    }
    if (!array.isArray()) {
      errors.add(where + " must be an array");
      return;
    }
    for (int i = 0; i < array.size(); i++) {
      String at = where + "[" + i + "]";
      JsonNode interval = array.get(i);
      required(interval, at, "id", "payloads");
      if (interval.has("id") && !interval.get("id").isInt()) {
        errors.add(at + ".id must be an integer");
      }
      intervalPeriod(interval.get("intervalPeriod"), at + ".intervalPeriod");
      JsonNode payloads = interval.get("payloads");
      if (payloads != null && payloads.isArray()) {
        for (int p = 0; p < payloads.size(); p++) {
          required(payloads.get(p), at + ".payloads[" + p + "]", "type", "values");
          JsonNode values = payloads.get(p).get("values");
          if (values != null && !values.isArray()) {
            errors.add(at + ".payloads[" + p + "].values must be an array");
          }
        }
      }
    }
  }

  private void intervalPeriod(JsonNode period, String where) {
    if (period == null || period.isNull()) {
      return;
    }
    JsonNode start = period.get("start");
    if (start != null && !start.isNull() && !isDateTime(start.asText())) {
      errors.add(where + ".start is not an RFC 3339 date-time: " + start.asText());
    }
    duration(period.get("duration"), where + ".duration");
    duration(period.get("randomizeStart"), where + ".randomizeStart");
  }

  private void duration(JsonNode duration, String where) {
    if (duration == null || duration.isNull()) {
      return;
    }
    try {
      IsoDuration.parse(duration.asText());
    } catch (IllegalArgumentException e) {
      errors.add(where + " is not an ISO 8601 duration: " + duration.asText());
    }
  }

  // The User Guide writes "now" as 0001-01-01 or 0001-01-01T00:00:00, so those forms pass too.
  private static boolean isDateTime(String text) {
    try {
      OffsetDateTime.parse(text);
      return true;
    } catch (DateTimeParseException e) {
      try {
        LocalDateTime.parse(text);
        return true;
      } catch (DateTimeParseException e2) {
        try {
          LocalDate.parse(text);
          return true;
        } catch (DateTimeParseException e3) {
          return false;
        }
      }
    }
  }
}
