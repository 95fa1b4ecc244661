package io.flexrig.openadr.ven;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flexrig.openadr.model.ClientCredentialResponse;
import io.flexrig.openadr.model.OpenAdrJson;
import io.flexrig.openadr.model.Problem;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * OAuth2 client-credentials tokens (RFC 6749 section 4.4) from the VTN's token endpoint, cached
 * until shortly before they expire. A 401 from the VTN invalidates the cached token.
 */
final class AccessTokens {
  // Renew this long before expiry so a request never starts with a token about to lapse.
  private static final Duration EARLY = Duration.ofSeconds(30);
  // Used when the server does not say (expires_in is optional).
  private static final Duration ASSUMED_LIFETIME = Duration.ofMinutes(5);

  private final HttpClient http;
  private final Supplier<URI> tokenUrl;
  private final String clientId;
  private final String clientSecret;
  private final Duration timeout;
  private final Clock clock;
  private final ObjectMapper json = OpenAdrJson.mapper();

  private String token;
  private Instant renewAt = Instant.MIN;

  AccessTokens(
      HttpClient http,
      Supplier<URI> tokenUrl,
      String clientId,
      String clientSecret,
      Duration timeout,
      Clock clock) {
    this.http = http;
    this.tokenUrl = tokenUrl;
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.timeout = timeout;
    this.clock = clock;
  }

  /** A valid bearer token, fetching a new one when needed. */
  synchronized String current() {
    if (token == null || !clock.instant().isBefore(renewAt)) {
      fetch();
    }
    return token;
  }

  /** Forget {@code rejected} (the VTN said 401), unless a newer token already replaced it. */
  synchronized void invalidate(String rejected) {
    if (rejected != null && rejected.equals(token)) {
      token = null;
    }
  }

  private void fetch() {
    URI url = tokenUrl.get();
    String form =
        "grant_type=client_credentials&client_id="
            + URLEncoder.encode(clientId, StandardCharsets.UTF_8)
            + "&client_secret="
            + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8);
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build();
    String what = "POST " + url;
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new VtnException(what, 0, null, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new VtnException(what, 0, null, e);
    }
    if (response.statusCode() != 200) {
      throw new VtnException(what, response.statusCode(), problemIn(response.body()), null);
    }
    try {
      ClientCredentialResponse body =
          json.readValue(response.body(), ClientCredentialResponse.class);
      if (body.access_token() == null || !"bearer".equalsIgnoreCase(body.token_type())) {
        throw new VtnException(what + " (no bearer token in answer)", 200, null, null);
      }
      Duration lifetime =
          body.expires_in() == null ? ASSUMED_LIFETIME : Duration.ofSeconds(body.expires_in());
      Duration early =
          lifetime.compareTo(EARLY.multipliedBy(2)) > 0 ? EARLY : lifetime.dividedBy(2);
      token = body.access_token();
      renewAt = clock.instant().plus(lifetime).minus(early);
    } catch (IOException e) {
      throw new VtnException(what + " (unreadable answer)", 200, null, e);
    }
  }

  private Problem problemIn(String body) {
    try {
      return json.readValue(body, Problem.class);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
