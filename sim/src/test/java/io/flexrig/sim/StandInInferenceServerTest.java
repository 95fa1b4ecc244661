package io.flexrig.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("integration")
class StandInInferenceServerTest {
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> post(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"hi\"}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> health(int port) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aDrainingServerFinishesTheRequestsInFlightAndRefusesNewOnes() throws Exception {
    try (StandInInferenceServer s = new StandInInferenceServer(0, Duration.ofMillis(10)).start()) {
      int port = s.port();
      assertThat(post(port, "/v1/completions").statusCode()).isEqualTo(200);
      CompletableFuture<HttpResponse<String>> slow =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return post(port, "/v1/completions?ms=800");
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      await().atMost(5, TimeUnit.SECONDS).until(() -> s.inFlight() == 1);
      assertThat(health(port).body()).contains("\"in_flight\":1", "\"accepting\":true");

      assertThat(post(port, "/drain").statusCode()).isEqualTo(202);

      assertThat(post(port, "/v1/completions").statusCode()).isEqualTo(503);
      HttpResponse<String> h = health(port);
      assertThat(h.statusCode()).isEqualTo(503);
      assertThat(h.body()).contains("\"status\":\"draining\"", "\"in_flight\":1");
      assertThat(slow.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      assertThat(s.inFlight()).isZero();
      assertThat(s.served()).isEqualTo(2);
    }
  }
}
