package io.flexrig.agent.workload;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent's view of an AI inference server over HTTP: its health endpoint (the profile's {@code
 * api}) and the drain endpoint beside it ({@code POST /drain}: stop accepting new requests).
 */
public final class InferenceApi {
  private static final Pattern IN_FLIGHT = Pattern.compile("\"in_flight\"\\s*:\\s*(\\d+)");

  /**
   * What the health endpoint said.
   *
   * @param up the server answered (200 while serving, 503 while draining)
   * @param accepting it takes new requests
   * @param inFlight requests being served; -1 when the server does not say
   */
  public record Health(boolean up, boolean accepting, int inFlight) {
    static final Health DOWN = new Health(false, false, -1);
  }

  private final URI health;
  private final URI drain;
  private final HttpClient http;
  private final Duration timeout;

  /**
   * @param healthUrl e.g. {@code http://127.0.0.1:8000/health}
   */
  public InferenceApi(String healthUrl, Duration timeout) {
    this.health = URI.create(healthUrl);
    this.drain = health.resolve("/drain");
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  public URI healthUrl() {
    return health;
  }

  /** Asks once; a server that does not answer is {@code up == false}. */
  public Health health() {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(health).timeout(timeout).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      Matcher m = IN_FLIGHT.matcher(r.body());
      int inFlight = m.find() ? Integer.parseInt(m.group(1)) : -1;
      return new Health(
          r.statusCode() == 200 || r.statusCode() == 503, r.statusCode() == 200, inFlight);
    } catch (IOException e) {
      return Health.DOWN;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Health.DOWN;
    }
  }

  /** Tells the server to stop accepting new requests. */
  public void beginDrain() throws IOException {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(drain)
                  .timeout(timeout)
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) {
        throw new IOException("POST " + drain + " answered " + r.statusCode());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
