package io.flexrig.openadr.model;

import java.util.List;

/** Which operations on which object types a subscription wants, and where to call back. */
public record ObjectOperation(
    List<String> objects, List<String> operations, String callbackUrl, String bearerToken) {}
