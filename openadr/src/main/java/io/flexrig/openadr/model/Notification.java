package io.flexrig.openadr.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** The body a VTN posts to a subscription's callback URL. */
public record Notification(
    String objectType, String operation, JsonNode object, List<String> targets) {}
