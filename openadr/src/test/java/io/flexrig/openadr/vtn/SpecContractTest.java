package io.flexrig.openadr.vtn;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.flexrig.openadr.SimpleLevels;
import io.flexrig.openadr.model.Event;
import io.flexrig.openadr.model.EventPayloadDescriptor;
import io.flexrig.openadr.model.Interval;
import io.flexrig.openadr.model.IntervalPeriod;
import io.flexrig.openadr.model.OpenAdrJson;
import io.flexrig.openadr.model.Program;
import io.flexrig.openadr.model.ValuesMap;
import io.flexrig.openadr.spec.OpenApiDocument;
import io.flexrig.openadr.ven.UsageInterval;
import io.flexrig.openadr.ven.VenClient;
import io.flexrig.openadr.ven.VenConfig;
import io.flexrig.openadr.vtn.VtnStandIn.ReceivedRequest;
import io.flexrig.openadr.vtn.VtnStandIn.Route;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Holds the stand-in and the VEN to the published OpenAPI document: the paths served exist in it,
 * what the VEN sends carries every property the spec requires, and the stand-in refuses a request
 * missing any of them.
 */
@Tag("integration")
class SpecContractTest {
  private static final OpenApiDocument SPEC = OpenApiDocument.load();
  private static final ObjectMapper JSON = OpenAdrJson.mapper();

  private VtnStandIn vtn;
  private Program program;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void startVtn() {
    vtn = VtnStandIn.start();
    vtn.addClient("ven-1", "ven-secret", VtnStandIn.Role.VEN);
    vtn.addClient("bl-1", "bl-secret", VtnStandIn.Role.BL);
    program = vtn.createProgram(Program.request("contract", null));
  }

  @AfterEach
  void stop() {
    vtn.close();
    http.close();
  }

  @Test
  void theDocumentIsReadDespiteItsStrayDash() {
    assertThat(SPEC.patchedLines()).isEqualTo(1);
    assertThat(SPEC.requiredProperties(SPEC.schema("BlVenRequest")))
        .containsExactly("objectType", "clientID", "venName");
  }

  @Test
  void everyPathAndMethodTheStandInServesIsInTheSpec() {
    assertThat(vtn.routes()).hasSizeGreaterThan(15);
    for (Route route : vtn.routes()) {
      assertThat(SPEC.hasOperation(route.path(), route.method()))
          .as("%s %s in openadr3.yaml", route.method(), route.path())
          .isTrue();
    }
  }

  @Test
  void everyRequestTheVenSendsCarriesWhatTheSpecRequires() {
    VenConfig config =
        VenConfig.of(
                vtn.baseUrl(),
                "ven-1",
                "ven-secret",
                "site-1",
                "contract",
                new SimpleLevels(1, 2, 3))
            .withPollInterval(Duration.ofHours(1))
            .withWebhook(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Event event = vtn.createEvent(simpleEvent());
    try (VenClient ven = new VenClient(config, (ref, signals) -> {})) {
      ven.start();
      ven.postUsageReport(
          event.id(), List.of(new UsageInterval(0, Instant.now(), Duration.ofMinutes(15), 10, 12)));
    }

    List<ReceivedRequest> sent =
        vtn.receivedRequests().stream().filter(r -> !r.route().path().equals("/events")).toList();
    assertThat(sent)
        .extracting(r -> r.route().method() + " " + r.route().path())
        .contains("POST /auth/token", "POST /vens", "POST /subscriptions", "POST /reports");
    for (ReceivedRequest request : sent) {
      var schema = SPEC.requestSchema(request.route().path(), request.route().method());
      assertThat(SPEC.violations(schema, request.body(), request.route().path()))
          .as("%s %s body %s", request.route().method(), request.route().path(), request.body())
          .isEmpty();
    }
  }

  @Test
  void theRequiredPropertyCheckFindsAnOmission() {
    ObjectNode report = (ObjectNode) reportSample("event-1");
    ((ObjectNode) report.get("resources").get(0).get("intervals").get(0)).remove("id");
    report.remove("clientName");

    assertThat(SPEC.violations(SPEC.requestSchema("/reports", "POST"), report, "report"))
        .containsExactlyInAnyOrder(
            "report.clientName is required", "report.resources[0].intervals[0].id is required");
  }

  @Test
  void theStandInRefusesEachMissingRequiredPropertyWith400() throws Exception {
    HttpServer echo = echoServer();
    try {
      String callback = "http://127.0.0.1:" + echo.getAddress().getPort() + "/cb";
      String ven = token("ven-1", "ven-secret");
      String bl = token("bl-1", "bl-secret");
      Event event = vtn.createEvent(simpleEvent());
      List<Case> cases =
          List.of(
              new Case("/programs", bl, JSON.valueToTree(Program.request("other", null))),
              new Case("/events", bl, JSON.valueToTree(simpleEvent())),
              new Case(
                  "/vens",
                  ven,
                  JSON.readTree("{\"objectType\":\"VEN_VEN_REQUEST\",\"venName\":\"v\"}")),
              new Case("/reports", ven, reportSample(event.id())),
              new Case(
                  "/subscriptions",
                  ven,
                  JSON.readTree(
                      """
                      {"clientName":"v","programID":"%s","objectOperations":[
                        {"objects":["EVENT"],"operations":["CREATE"],"callbackUrl":"%s"}]}
                      """
                          .formatted(program.id(), callback))));
      for (Case c : cases) {
        var schema = SPEC.requestSchema(c.path(), "POST");
        // venRequest is a oneOf; the VEN's branch names the required properties.
        var required =
            c.path().equals("/vens")
                ? SPEC.requiredProperties(SPEC.schema("VenVenRequest"))
                : SPEC.requiredProperties(schema);
        assertThat(required).as("required properties of POST %s", c.path()).isNotEmpty();
        for (String property : required) {
          ObjectNode without = c.body().deepCopy();
          without.remove(property);
          HttpResponse<String> answer = post(c.path(), c.token(), without);
          assertThat(answer.statusCode())
              .as("POST %s without %s", c.path(), property)
              .isEqualTo(400);
          assertThat(JSON.readTree(answer.body()).get("detail").asText()).contains(property);
        }
        HttpResponse<String> complete = post(c.path(), c.token(), c.body());
        assertThat(complete.statusCode())
            .as("POST %s complete: %s", c.path(), complete.body())
            .isEqualTo(201);
      }
      HttpResponse<String> noSecret =
          form(Map.of("grant_type", "client_credentials", "client_id", "ven-1"));
      assertThat(noSecret.statusCode()).isEqualTo(400);
      assertThat(noSecret.body()).contains("client_secret");
    } finally {
      echo.stop(0);
    }
  }

  private record Case(String path, String token, JsonNode body) {}

  private Event simpleEvent() {
    return Event.request(
        program.id(),
        "contract",
        1,
        List.of(EventPayloadDescriptor.of("SIMPLE", null, null)),
        IntervalPeriod.of(Instant.now().plusSeconds(600).toString(), "PT15M"),
        List.of(new Interval(0, null, List.of(ValuesMap.of("SIMPLE", 1)))));
  }

  private static JsonNode reportSample(String eventId) {
    try {
      return JSON.readTree(
          """
          {"eventID":"%s","clientName":"v","resources":[{"resourceName":"AGGREGATED_REPORT",
            "intervals":[{"id":0,"payloads":[{"type":"USAGE","values":[1.5]}]}]}]}
          """
              .formatted(eventId));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private String token(String clientId, String secret) throws Exception {
    HttpResponse<String> answer =
        form(
            Map.of(
                "grant_type",
                "client_credentials",
                "client_id",
                clientId,
                "client_secret",
                secret));
    assertThat(answer.statusCode()).isEqualTo(200);
    return JSON.readTree(answer.body()).get("access_token").asText();
  }

  private HttpResponse<String> form(Map<String, String> fields) throws Exception {
    List<String> pairs = new ArrayList<>();
    fields.forEach((k, v) -> pairs.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return http.send(
        HttpRequest.newBuilder(URI.create(vtn.baseUrl() + "/auth/token"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(String.join("&", pairs)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String token, JsonNode body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(vtn.baseUrl() + path))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A callback endpoint that passes the VTN's echo challenge. */
  private static HttpServer echoServer() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    server.createContext(
        "/cb",
        exchange -> {
          try (exchange) {
            String query = exchange.getRequestURI().getQuery();
            byte[] echo =
                (query != null && query.startsWith("echo=") ? query.substring(5) : "")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, echo.length == 0 ? -1 : echo.length);
            exchange.getResponseBody().write(echo);
          }
        });
    server.start();
    return server;
  }
}
