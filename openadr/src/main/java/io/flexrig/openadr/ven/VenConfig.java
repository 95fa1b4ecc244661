package io.flexrig.openadr.ven;

import io.flexrig.openadr.SimpleLevels;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * How the VEN reaches its VTN and what it listens to.
 *
 * @param vtnUrl base URL of the VTN API, e.g. {@code https://vtn.example/openadr3/3.1.0}
 * @param tokenUrl OAuth2 token endpoint; null to ask the VTN ({@code GET /auth/server})
 * @param clientId client credentials provisioned at enrolment; null for a VTN without auth
 * @param clientSecret the secret for {@code clientId}
 * @param venName the name this VEN registers under (unique per VTN)
 * @param programNames the programs whose events the VEN follows
 * @param pollInterval time between event polls (default 30 s)
 * @param requestTimeout timeout of every HTTP request (default 10 s)
 * @param simpleLevels what SIMPLE levels 1..3 mean in kW to shed
 * @param webhookAddress where to receive VTN notifications; null to rely on polling only
 * @param resourceName the resource named in reports (default {@code AGGREGATED_REPORT})
 */
public record VenConfig(
    URI vtnUrl,
    URI tokenUrl,
    String clientId,
    String clientSecret,
    String venName,
    List<String> programNames,
    Duration pollInterval,
    Duration requestTimeout,
    SimpleLevels simpleLevels,
    InetSocketAddress webhookAddress,
    String resourceName) {

  public VenConfig {
    require(vtnUrl != null, "vtnUrl is required");
    require(venName != null && !venName.isBlank(), "venName is required");
    require(programNames != null && !programNames.isEmpty(), "at least one program is required");
    programNames = List.copyOf(programNames);
    require((clientId == null) == (clientSecret == null), "clientId and clientSecret go together");
    require(pollInterval != null && pollInterval.isPositive(), "pollInterval must be positive");
    require(requestTimeout != null && requestTimeout.isPositive(), "requestTimeout must be > 0");
    require(simpleLevels != null, "simpleLevels is required");
    require(resourceName != null && !resourceName.isBlank(), "resourceName is required");
  }

  /** A configuration with the defaults: 30 s polling, 10 s timeouts, no webhook. */
  public static VenConfig of(
      URI vtnUrl,
      String clientId,
      String clientSecret,
      String venName,
      String programName,
      SimpleLevels simpleLevels) {
    return new VenConfig(
        vtnUrl,
        null,
        clientId,
        clientSecret,
        venName,
        List.of(programName),
        Duration.ofSeconds(30),
        Duration.ofSeconds(10),
        simpleLevels,
        null,
        "AGGREGATED_REPORT");
  }

  public VenConfig withTokenUrl(URI url) {
    return new VenConfig(
        vtnUrl,
        url,
        clientId,
        clientSecret,
        venName,
        programNames,
        pollInterval,
        requestTimeout,
        simpleLevels,
        webhookAddress,
        resourceName);
  }

  public VenConfig withProgramNames(List<String> names) {
    return new VenConfig(
        vtnUrl,
        tokenUrl,
        clientId,
        clientSecret,
        venName,
        names,
        pollInterval,
        requestTimeout,
        simpleLevels,
        webhookAddress,
        resourceName);
  }

  public VenConfig withPollInterval(Duration interval) {
    return new VenConfig(
        vtnUrl,
        tokenUrl,
        clientId,
        clientSecret,
        venName,
        programNames,
        interval,
        requestTimeout,
        simpleLevels,
        webhookAddress,
        resourceName);
  }

  public VenConfig withRequestTimeout(Duration timeout) {
    return new VenConfig(
        vtnUrl,
        tokenUrl,
        clientId,
        clientSecret,
        venName,
        programNames,
        pollInterval,
        timeout,
        simpleLevels,
        webhookAddress,
        resourceName);
  }

  /** Receive notifications on {@code address} (use port 0 for an ephemeral port). */
  public VenConfig withWebhook(InetSocketAddress address) {
    return new VenConfig(
        vtnUrl,
        tokenUrl,
        clientId,
        clientSecret,
        venName,
        programNames,
        pollInterval,
        requestTimeout,
        simpleLevels,
        address,
        resourceName);
  }

  public VenConfig withResourceName(String name) {
    return new VenConfig(
        vtnUrl,
        tokenUrl,
        clientId,
        clientSecret,
        venName,
        programNames,
        pollInterval,
        requestTimeout,
        simpleLevels,
        webhookAddress,
        name);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("VenConfig: " + message);
    }
  }
}
