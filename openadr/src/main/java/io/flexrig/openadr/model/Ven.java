package io.flexrig.openadr.model;

import java.util.List;

/**
 * The VTN's record of a VEN. A VEN creates itself with {@code objectType = VEN_VEN_REQUEST}; the
 * VTN answers with {@code objectType = VEN} and the client id it read from the token.
 */
public record Ven(
    String id,
    String createdDateTime,
    String modificationDateTime,
    String objectType,
    String clientID,
    String venName,
    List<String> targets,
    List<ValuesMap> attributes) {
  public static final String VEN_VEN_REQUEST = "VEN_VEN_REQUEST";

  /** A request body for {@code POST /vens} sent by the VEN itself. */
  public static Ven request(String venName) {
    return new Ven(null, null, null, VEN_VEN_REQUEST, null, venName, null, null);
  }
}
