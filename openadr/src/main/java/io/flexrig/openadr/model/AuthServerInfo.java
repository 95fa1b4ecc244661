package io.flexrig.openadr.model;

/** The answer of {@code GET /auth/server}: where to fetch tokens. */
public record AuthServerInfo(String tokenURL) {}
