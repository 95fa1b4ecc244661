package io.flexrig.openadr.model;

/** The token endpoint's answer, snake case as in RFC 6749. */
public record ClientCredentialResponse(
    String access_token, String token_type, Long expires_in, String scope) {}
