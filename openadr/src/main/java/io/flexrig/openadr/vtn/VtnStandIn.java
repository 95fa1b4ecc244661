package io.flexrig.openadr.vtn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.flexrig.openadr.model.Event;
import io.flexrig.openadr.model.OpenAdrJson;
import io.flexrig.openadr.model.Problem;
import io.flexrig.openadr.model.Program;
import io.flexrig.openadr.model.Report;
import io.flexrig.openadr.model.Subscription;
import io.flexrig.openadr.model.Ven;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A VTN stand-in on 127.0.0.1 (ephemeral port) serving the subset of OpenADR 3.1.0 a VEN uses:
 * {@code /auth/server}, {@code /auth/token} (client credentials), {@code /programs}, {@code
 * /events}, {@code /vens}, {@code /reports}, {@code /subscriptions}. Requests are checked against
 * the spec's required properties (400 with a problem naming what is missing), tokens and roles are
 * enforced (401, 403), and subscribers are called back on event create, update and delete after an
 * {@code echo} challenge of their callback URL.
 *
 * <p>Business logic drives it from Java ({@link #createProgram}, {@link #createEvent}, {@link
 * #updateEvent}, {@link #deleteEvent}) or over HTTP with a BL client's token.
 */
public final class VtnStandIn implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(VtnStandIn.class);
  public static final String BASE_PATH = "/openadr3/3.1.0";
  private static final int MAX_BODY = 1 << 20;
  private static final Duration CALLBACK_TIMEOUT = Duration.ofSeconds(5);

  /** Who a client is: a VEN, or business logic (the utility's back office). */
  public enum Role {
    VEN,
    BL
  }

  /** A method and spec path template this stand-in serves, e.g. {@code GET /events}. */
  public record Route(String method, String path) {}

  /** A request body as received (forms as objects), for contract checks in tests. */
  public record ReceivedRequest(Route route, JsonNode body) {}

  private record Client(String secret, Role role) {}

  private record Grant(String clientId, Role role, Instant expires) {}

  private record Call(Grant grant, List<String> params, Map<String, String> query, JsonNode body) {}

  private record Answer(int status, Object body) {}

  @FunctionalInterface
  private interface Handler {
    Answer handle(Call call);
  }

  private record Endpoint(Route route, Pattern pattern, boolean open, Handler handler) {}

  private static final class ProblemException extends RuntimeException {
    final int status;

    ProblemException(int status, String detail) {
      super(detail);
      this.status = status;
    }
  }

  private final ObjectMapper json = OpenAdrJson.mapper();
  private final HttpServer server;
  private final ThreadPoolExecutor handlers;
  private final ThreadPoolExecutor notifier;
  private final HttpClient http;
  private final List<Endpoint> endpoints = new ArrayList<>();
  private final Map<String, Client> clients = new ConcurrentHashMap<>();
  private final Map<String, Grant> tokens = new ConcurrentHashMap<>();
  private final List<ReceivedRequest> received = new CopyOnWriteArrayList<>();
  private final SecureRandom random = new SecureRandom();

  // The store; every access holds `this`.
  private final Map<String, ObjectNode> programs = new LinkedHashMap<>();
  private final Map<String, ObjectNode> events = new LinkedHashMap<>();
  private final Map<String, ObjectNode> vens = new LinkedHashMap<>();
  private final Map<String, ObjectNode> reports = new LinkedHashMap<>();
  private final Map<String, ObjectNode> subscriptions = new LinkedHashMap<>();
  private long lastId;
  private Instant lastStamp = Instant.EPOCH;
  private volatile Duration tokenLifetime = Duration.ofHours(1);

  private VtnStandIn() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    handlers = pool("openadr-vtn-http", 4, 128);
    notifier = pool("openadr-vtn-notify", 1, 1024);
    http = HttpClient.newBuilder().connectTimeout(CALLBACK_TIMEOUT).build();
    defineRoutes();
    server.createContext(BASE_PATH + "/", this::dispatch);
    server.setExecutor(handlers);
    server.start();
  }

  /** Starts a stand-in on 127.0.0.1 with an ephemeral port. */
  public static VtnStandIn start() {
    try {
      return new VtnStandIn();
    } catch (IOException e) {
      throw new IllegalStateException("VTN stand-in cannot listen on loopback", e);
    }
  }

  /**
   * The API base URL a VEN is configured with, e.g. {@code http://127.0.0.1:41234/openadr3/3.1.0}.
   */
  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + BASE_PATH);
  }

  /** Provisions client credentials (the out-of-band enrolment of the spec). */
  public VtnStandIn addClient(String clientId, String clientSecret, Role role) {
    clients.put(clientId, new Client(clientSecret, role));
    return this;
  }

  /** The {@code expires_in} of tokens issued from now on. */
  public void tokenLifetime(Duration lifetime) {
    tokenLifetime = lifetime;
  }

  /** Invalidates every issued token, as an authorization server restart would. */
  public void revokeTokens() {
    tokens.clear();
  }

  /** Every method and path served, as spec path templates. */
  public List<Route> routes() {
    return endpoints.stream().map(Endpoint::route).toList();
  }

  /** Request bodies received so far (JSON and token forms), oldest first. */
  public List<ReceivedRequest> receivedRequests() {
    return List.copyOf(received);
  }

  public Program createProgram(Program request) {
    return json.convertValue(createProgram((ObjectNode) json.valueToTree(request)), Program.class);
  }

  public Event createEvent(Event request) {
    return json.convertValue(createEvent((ObjectNode) json.valueToTree(request)), Event.class);
  }

  /** Replaces an event's content; the VTN keeps its id and creation time. */
  public Event updateEvent(String eventId, Event request) {
    return json.convertValue(
        updateEvent(eventId, (ObjectNode) json.valueToTree(request)), Event.class);
  }

  public Event deleteEvent(String eventId) {
    return json.convertValue(deleteEventNode(eventId), Event.class);
  }

  public synchronized List<Report> reports() {
    return reports.values().stream().map(r -> json.convertValue(r, Report.class)).toList();
  }

  public synchronized List<Ven> vens() {
    return vens.values().stream().map(v -> json.convertValue(v, Ven.class)).toList();
  }

  public synchronized List<Subscription> subscriptions() {
    return subscriptions.values().stream()
        .map(s -> json.convertValue(s, Subscription.class))
        .toList();
  }

  // ---- routes

  private void defineRoutes() {
    route(
        "GET",
        "/auth/server",
        true,
        c -> new Answer(200, Map.of("tokenURL", baseUrl() + "/auth/token")));
    route("POST", "/auth/token", true, this::token);
    route("GET", "/programs", false, c -> list(programs, c, p -> true));
    route(
        "POST",
        "/programs",
        false,
        c -> {
          requireRole(c, Role.BL);
          return new Answer(201, createProgram((ObjectNode) c.body()));
        });
    route(
        "GET",
        "/programs/{programID}",
        false,
        c -> new Answer(200, find(programs, c.params().get(0), c)));
    route(
        "GET",
        "/events",
        false,
        c -> {
          String programId = c.query().get("programID");
          return list(
              events, c, e -> programId == null || programId.equals(e.path("programID").asText()));
        });
    route(
        "POST",
        "/events",
        false,
        c -> {
          requireRole(c, Role.BL);
          return new Answer(201, createEvent((ObjectNode) c.body()));
        });
    route(
        "GET",
        "/events/{eventID}",
        false,
        c -> new Answer(200, find(events, c.params().get(0), c)));
    route(
        "PUT",
        "/events/{eventID}",
        false,
        c -> {
          requireRole(c, Role.BL);
          return new Answer(200, updateEvent(c.params().get(0), (ObjectNode) c.body()));
        });
    route(
        "DELETE",
        "/events/{eventID}",
        false,
        c -> {
          requireRole(c, Role.BL);
          return new Answer(200, deleteEventNode(c.params().get(0)));
        });
    route(
        "GET",
        "/vens",
        false,
        c -> {
          String venName = c.query().get("venName");
          return list(vens, c, v -> venName == null || venName.equals(v.path("venName").asText()));
        });
    route("POST", "/vens", false, this::createVen);
    route("GET", "/vens/{venID}", false, c -> new Answer(200, find(vens, c.params().get(0), c)));
    route(
        "GET",
        "/reports",
        false,
        c -> {
          String eventId = c.query().get("eventID");
          String clientName = c.query().get("clientName");
          return list(
              reports,
              c,
              r ->
                  (eventId == null || eventId.equals(r.path("eventID").asText()))
                      && (clientName == null || clientName.equals(r.path("clientName").asText())));
        });
    route("POST", "/reports", false, this::createReport);
    route(
        "GET",
        "/reports/{reportID}",
        false,
        c -> new Answer(200, find(reports, c.params().get(0), c)));
    route("GET", "/subscriptions", false, c -> list(subscriptions, c, s -> true));
    route("POST", "/subscriptions", false, this::createSubscription);
    route(
        "GET",
        "/subscriptions/{subscriptionID}",
        false,
        c -> new Answer(200, find(subscriptions, c.params().get(0), c)));
    route(
        "DELETE",
        "/subscriptions/{subscriptionID}",
        false,
        c -> {
          synchronized (this) {
            ObjectNode s = find(subscriptions, c.params().get(0), c);
            subscriptions.remove(s.get("id").asText());
            return new Answer(200, s);
          }
        });
  }

  private void route(String method, String template, boolean open, Handler handler) {
    Pattern pattern = Pattern.compile(template.replaceAll("\\{[^/]+}", "([A-Za-z0-9_-]+)"));
    endpoints.add(new Endpoint(new Route(method, template), pattern, open, handler));
  }

  // ---- handlers

  private Answer token(Call call) {
    check(RequestCheck.clientCredentialRequest(call.body()));
    String clientId = call.body().get("client_id").asText();
    Client client = clients.get(clientId);
    if (client == null || !client.secret().equals(call.body().get("client_secret").asText())) {
      throw new ProblemException(401, "invalid_client: unknown client_id or wrong client_secret");
    }
    byte[] bytes = new byte[24];
    random.nextBytes(bytes);
    String token = HexFormat.of().formatHex(bytes);
    Duration lifetime = tokenLifetime;
    tokens.values().removeIf(g -> g.expires().isBefore(Instant.now()));
    tokens.put(token, new Grant(clientId, client.role(), Instant.now().plus(lifetime)));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("access_token", token);
    body.put("token_type", "Bearer");
    body.put("expires_in", lifetime.toSeconds());
    return new Answer(200, body);
  }

  private synchronized ObjectNode createProgram(ObjectNode body) {
    check(RequestCheck.programRequest(body));
    String name = body.get("programName").asText();
    if (programs.values().stream().anyMatch(p -> name.equals(p.path("programName").asText()))) {
      throw new ProblemException(409, "a program named '" + name + "' exists");
    }
    return store(programs, "program", "PROGRAM", body);
  }

  private ObjectNode createEvent(ObjectNode body) {
    ObjectNode event;
    synchronized (this) {
      check(RequestCheck.eventRequest(body));
      requireProgram(body.get("programID").asText());
      event = store(events, "event", "EVENT", body);
    }
    notifySubscribers("CREATE", event);
    return event;
  }

  private ObjectNode updateEvent(String eventId, ObjectNode body) {
    ObjectNode event;
    synchronized (this) {
      ObjectNode before = events.get(eventId);
      if (before == null) {
        throw new ProblemException(404, "no event " + eventId);
      }
      check(RequestCheck.eventRequest(body));
      requireProgram(body.get("programID").asText());
      event = body.deepCopy();
      event.put("id", eventId);
      event.set("createdDateTime", before.get("createdDateTime"));
      event.put("modificationDateTime", stamp().toString());
      event.put("objectType", "EVENT");
      events.put(eventId, event);
    }
    notifySubscribers("UPDATE", event);
    return event;
  }

  private ObjectNode deleteEventNode(String eventId) {
    ObjectNode event;
    synchronized (this) {
      event = events.remove(eventId);
      if (event == null) {
        throw new ProblemException(404, "no event " + eventId);
      }
    }
    notifySubscribers("DELETE", event);
    return event;
  }

  private Answer createVen(Call call) {
    ObjectNode body = (ObjectNode) call.body();
    check(RequestCheck.venRequest(body));
    boolean byBl = "BL_VEN_REQUEST".equals(body.get("objectType").asText());
    if (byBl) {
      requireRole(call, Role.BL);
    }
    synchronized (this) {
      String name = body.get("venName").asText();
      if (vens.values().stream().anyMatch(v -> name.equals(v.path("venName").asText()))) {
        throw new ProblemException(409, "a ven named '" + name + "' exists");
      }
      ObjectNode ven = body.deepCopy();
      ven.remove("objectType");
      // A VEN's own ven object belongs to the client its token names (Definition, object privacy).
      ven.put("clientID", byBl ? body.get("clientID").asText() : call.grant().clientId());
      return new Answer(201, store(vens, "ven", "VEN", ven));
    }
  }

  private Answer createReport(Call call) {
    requireRole(call, Role.VEN);
    ObjectNode body = (ObjectNode) call.body();
    check(RequestCheck.reportRequest(body));
    synchronized (this) {
      if (!events.containsKey(body.get("eventID").asText())) {
        throw new ProblemException(409, "eventID " + body.get("eventID").asText() + " is unknown");
      }
      ObjectNode report = body.deepCopy();
      report.put("clientID", call.grant().clientId());
      return new Answer(201, store(reports, "report", "REPORT", report));
    }
  }

  private Answer createSubscription(Call call) {
    ObjectNode body = (ObjectNode) call.body();
    check(RequestCheck.subscriptionRequest(body));
    if (body.hasNonNull("programID")) {
      synchronized (this) {
        requireProgram(body.get("programID").asText());
      }
    }
    for (JsonNode op : body.get("objectOperations")) {
      challenge(op.get("callbackUrl").asText());
    }
    synchronized (this) {
      ObjectNode subscription = body.deepCopy();
      subscription.put("clientID", call.grant().clientId());
      return new Answer(201, store(subscriptions, "subscription", "SUBSCRIPTION", subscription));
    }
  }

  // ---- store helpers (callers hold `this`)

  private ObjectNode store(
      Map<String, ObjectNode> table, String prefix, String type, ObjectNode body) {
    ObjectNode object = body.deepCopy();
    String id = prefix + "-" + (++lastId);
    String now = stamp().toString();
    object.put("id", id);
    object.put("createdDateTime", now);
    object.put("modificationDateTime", now);
    object.put("objectType", type);
    table.put(id, object);
    return object;
  }

  /** A strictly increasing time, so every change gets a new modificationDateTime. */
  private Instant stamp() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    lastStamp = now.isAfter(lastStamp) ? now : lastStamp.plusMillis(1);
    return lastStamp;
  }

  private void requireProgram(String programId) {
    if (!programs.containsKey(programId)) {
      throw new ProblemException(409, "programID " + programId + " is unknown");
    }
  }

  private Answer list(Map<String, ObjectNode> table, Call call, Predicate<ObjectNode> filter) {
    int skip = intParam(call, "skip", 0);
    int limit = intParam(call, "limit", 50);
    if (skip < 0 || limit < 0 || limit > 50) {
      throw new ProblemException(400, "skip must be >= 0 and limit within 0..50");
    }
    ArrayNode page = json.createArrayNode();
    synchronized (this) {
      table.values().stream()
          .filter(filter)
          .filter(o -> visible(o, call.grant()))
          .skip(skip)
          .limit(limit)
          .forEach(page::add);
    }
    return new Answer(200, page);
  }

  private ObjectNode find(Map<String, ObjectNode> table, String id, Call call) {
    synchronized (this) {
      ObjectNode object = table.get(id);
      if (object == null || !visible(object, call.grant())) {
        throw new ProblemException(404, "no object " + id);
      }
      return object;
    }
  }

  /** VENs see only the vens, reports and subscriptions written with their own client id. */
  private static boolean visible(ObjectNode object, Grant grant) {
    return grant.role() == Role.BL
        || !object.has("clientID")
        || grant.clientId().equals(object.get("clientID").asText());
  }

  private static int intParam(Call call, String name, int fallback) {
    String value = call.query().get(name);
    try {
      return value == null ? fallback : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new ProblemException(400, name + " must be an integer, was " + value);
    }
  }

  private static void requireRole(Call call, Role role) {
    if (call.grant().role() != role) {
      throw new ProblemException(403, "this operation needs a " + role + " client");
    }
  }

  private static void check(List<String> errors) {
    if (!errors.isEmpty()) {
      throw new ProblemException(400, String.join("; ", errors));
    }
  }

  // ---- webhooks

  /** The Definition's callback check: GET with {@code echo}, the body must repeat it. */
  private void challenge(String callbackUrl) {
    byte[] bytes = new byte[12];
    random.nextBytes(bytes);
    String echo = HexFormat.of().formatHex(bytes);
    String separator = callbackUrl.contains("?") ? "&" : "?";
    try {
      HttpResponse<String> answer =
          http.send(
              HttpRequest.newBuilder(URI.create(callbackUrl + separator + "echo=" + echo))
                  .timeout(CALLBACK_TIMEOUT)
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != 200 || !echo.equals(answer.body().trim())) {
        throw new ProblemException(
            400, "callbackUrl " + callbackUrl + " failed the echo challenge");
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new ProblemException(400, "callbackUrl " + callbackUrl + " unreachable: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProblemException(500, "interrupted");
    }
  }

  private void notifySubscribers(String operation, ObjectNode event) {
    List<ObjectNode> targets;
    synchronized (this) {
      targets = List.copyOf(subscriptions.values());
    }
    String programId = event.path("programID").asText();
    for (ObjectNode subscription : targets) {
      if (subscription.hasNonNull("programID")
          && !programId.equals(subscription.get("programID").asText())) {
        continue;
      }
      for (JsonNode op : subscription.get("objectOperations")) {
        if (contains(op.get("objects"), "EVENT") && contains(op.get("operations"), operation)) {
          ObjectNode notification = json.createObjectNode();
          notification.put("objectType", "EVENT");
          notification.put("operation", operation);
          notification.set("object", event.deepCopy());
          String bearer = op.hasNonNull("bearerToken") ? op.get("bearerToken").asText() : null;
          String url = op.get("callbackUrl").asText();
          notifier.execute(() -> post(url, bearer, notification));
        }
      }
    }
  }

  private void post(String url, String bearer, ObjectNode notification) {
    try {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(url))
              .timeout(CALLBACK_TIMEOUT)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(notification)));
      if (bearer != null) {
        request.header("Authorization", "Bearer " + bearer);
      }
      int status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
      if (status != 200) {
        log.warn("notification to {} answered {}", url, status);
      }
    } catch (IOException e) {
      log.warn("notification to {} failed: {}", url, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean contains(JsonNode array, String value) {
    if (array != null) {
      for (JsonNode item : array) {
        if (value.equals(item.asText())) {
          return true;
        }
      }
    }
    return false;
  }

  // ---- HTTP plumbing

  private void dispatch(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath().substring(BASE_PATH.length());
      String method = exchange.getRequestMethod();
      Answer answer;
      try {
        answer = route(exchange, method, path);
      } catch (ProblemException e) {
        answer = new Answer(e.status, Problem.of(e.status, title(e.status), e.getMessage()));
      } catch (RuntimeException e) {
        log.error("{} {} failed", method, path, e);
        answer = new Answer(500, Problem.of(500, title(500), e.toString()));
      }
      byte[] bytes = json.writeValueAsBytes(answer.body());
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(answer.status(), bytes.length);
      exchange.getResponseBody().write(bytes);
    }
  }

  private Answer route(HttpExchange exchange, String method, String path) throws IOException {
    boolean pathKnown = false;
    for (Endpoint endpoint : endpoints) {
      Matcher m = endpoint.pattern().matcher(path);
      if (!m.matches()) {
        continue;
      }
      pathKnown = true;
      if (!endpoint.route().method().equals(method)) {
        continue;
      }
      Grant grant = endpoint.open() ? null : authenticate(exchange);
      List<String> params = new ArrayList<>();
      for (int i = 1; i <= m.groupCount(); i++) {
        params.add(m.group(i));
      }
      JsonNode body = body(exchange, method);
      if (body != null) {
        received.add(new ReceivedRequest(endpoint.route(), body));
      }
      return endpoint.handler().handle(new Call(grant, params, query(exchange), body));
    }
    throw new ProblemException(pathKnown ? 405 : 404, method + " " + path + " is not served");
  }

  private Grant authenticate(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    Grant grant =
        header != null && header.startsWith("Bearer ") ? tokens.get(header.substring(7)) : null;
    if (grant == null || grant.expires().isBefore(Instant.now())) {
      throw new ProblemException(401, "missing, unknown or expired bearer token");
    }
    return grant;
  }

  private JsonNode body(HttpExchange exchange, String method) throws IOException {
    if (!method.equals("POST") && !method.equals("PUT")) {
      return null;
    }
    byte[] bytes;
    try (InputStream in = exchange.getRequestBody()) {
      bytes = in.readNBytes(MAX_BODY);
    }
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    if (type != null && type.startsWith("application/x-www-form-urlencoded")) {
      ObjectNode form = json.createObjectNode();
      decode(new String(bytes, StandardCharsets.UTF_8)).forEach(form::put);
      return form;
    }
    try {
      JsonNode node = json.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw new ProblemException(400, "the body must be a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw new ProblemException(400, "the body is not JSON: " + e.getMessage());
    }
  }

  private static Map<String, String> query(HttpExchange exchange) {
    String raw = exchange.getRequestURI().getRawQuery();
    return raw == null ? Map.of() : decode(raw);
  }

  private static Map<String, String> decode(String form) {
    Map<String, String> values = new HashMap<>();
    for (String pair : form.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      values.put(
          URLDecoder.decode(key, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return values;
  }

  private static String title(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 409 -> "Conflict";
      default -> "Internal Server Error";
    };
  }

  private static ThreadPoolExecutor pool(String name, int threads, int queue) {
    return new ThreadPoolExecutor(
        threads,
        threads,
        30,
        TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(queue),
        r -> Thread.ofPlatform().daemon().name(name).unstarted(r),
        new ThreadPoolExecutor.AbortPolicy());
  }

  @Override
  public void close() {
    server.stop(0);
    handlers.shutdownNow();
    notifier.shutdownNow();
    http.close();
  }
}
