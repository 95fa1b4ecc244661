package io.flexrig.openadr.model;

import java.util.List;

/** A webhook registration: the VTN calls {@code callbackUrl} on the listed operations. */
public record Subscription(
    String id,
    String createdDateTime,
    String modificationDateTime,
    String objectType,
    String clientID,
    String clientName,
    String programID,
    List<ObjectOperation> objectOperations,
    List<String> targets) {

  /** A request body for {@code POST /subscriptions}. */
  public static Subscription request(
      String clientName, String programID, List<ObjectOperation> objectOperations) {
    return new Subscription(
        null, null, null, null, null, clientName, programID, objectOperations, null);
  }
}
