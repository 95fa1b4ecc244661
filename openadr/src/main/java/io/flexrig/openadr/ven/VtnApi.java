package io.flexrig.openadr.ven;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flexrig.openadr.model.AuthServerInfo;
import io.flexrig.openadr.model.Event;
import io.flexrig.openadr.model.OpenAdrJson;
import io.flexrig.openadr.model.Problem;
import io.flexrig.openadr.model.Program;
import io.flexrig.openadr.model.Report;
import io.flexrig.openadr.model.Subscription;
import io.flexrig.openadr.model.Ven;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The VTN operations a VEN uses, one method per spec operation. Every request has a timeout and a
 * bearer token; a 401 renews the token and retries once. Listings are read page by page (the spec
 * caps {@code limit} at 50).
 */
final class VtnApi {
  static final int PAGE = 50;

  private final URI base;
  private final HttpClient http;
  private final Duration timeout;
  private final AccessTokens tokens;
  private final ObjectMapper json = OpenAdrJson.mapper();
  private URI discoveredTokenUrl;

  VtnApi(VenConfig config, HttpClient http, Clock clock) {
    String url = config.vtnUrl().toString();
    this.base = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    this.http = http;
    this.timeout = config.requestTimeout();
    this.tokens =
        config.clientId() == null
            ? null
            : new AccessTokens(
                http,
                () -> config.tokenUrl() != null ? config.tokenUrl() : discoverTokenUrl(),
                config.clientId(),
                config.clientSecret(),
                timeout,
                clock);
  }

  /** The token endpoint the VTN names ({@code GET /auth/server}); asked once. */
  synchronized URI discoverTokenUrl() {
    if (discoveredTokenUrl == null) {
      AuthServerInfo info =
          send("GET", "/auth/server", Map.of(), null, AuthServerInfo.class, 200, false);
      discoveredTokenUrl = base.resolve(info.tokenURL());
    }
    return discoveredTokenUrl;
  }

  /** A token now, to fail fast on bad credentials. */
  void authenticate() {
    if (tokens != null) {
      tokens.current();
    }
  }

  List<Program> programs() {
    return pages("/programs", new LinkedHashMap<>(), new TypeReference<List<Program>>() {});
  }

  List<Event> events(String programId) {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("programID", programId);
    return pages("/events", query, new TypeReference<List<Event>>() {});
  }

  Optional<Ven> venNamed(String venName) {
    List<Ven> vens =
        send("GET", "/vens", Map.of("venName", venName), null, new TypeReference<List<Ven>>() {});
    return vens.stream().filter(v -> venName.equals(v.venName())).findFirst();
  }

  Ven createVen(Ven request) {
    return send("POST", "/vens", Map.of(), request, Ven.class, 201, true);
  }

  Subscription createSubscription(Subscription request) {
    return send("POST", "/subscriptions", Map.of(), request, Subscription.class, 201, true);
  }

  void deleteSubscription(String id) {
    send("DELETE", "/subscriptions/" + id, Map.of(), null, Subscription.class, 200, true);
  }

  Report createReport(Report request) {
    return send("POST", "/reports", Map.of(), request, Report.class, 201, true);
  }

  private <T> List<T> pages(String path, Map<String, String> query, TypeReference<List<T>> type) {
    List<T> all = new ArrayList<>();
    for (int skip = 0; ; skip += PAGE) {
      query.put("skip", Integer.toString(skip));
      query.put("limit", Integer.toString(PAGE));
      List<T> page = send("GET", path, query, null, type);
      all.addAll(page);
      if (page.size() < PAGE) {
        return all;
      }
    }
  }

  private <T> T send(
      String method, String path, Map<String, String> query, Object body, TypeReference<T> type) {
    String text = exchange(method, path, query, body, 200, true);
    try {
      return json.readValue(text, type);
    } catch (IOException e) {
      throw new VtnException(method + " " + path + " (unreadable answer)", 200, null, e);
    }
  }

  private <T> T send(
      String method,
      String path,
      Map<String, String> query,
      Object body,
      Class<T> type,
      int expected,
      boolean authorized) {
    String text = exchange(method, path, query, body, expected, authorized);
    try {
      return json.readValue(text, type);
    } catch (IOException e) {
      throw new VtnException(method + " " + path + " (unreadable answer)", expected, null, e);
    }
  }

  private String exchange(
      String method,
      String path,
      Map<String, String> query,
      Object body,
      int expected,
      boolean authorized) {
    URI uri = URI.create(base + path + queryString(query));
    String what = method + " " + uri;
    for (int attempt = 1; ; attempt++) {
      String token = authorized && tokens != null ? tokens.current() : null;
      HttpResponse<String> response = call(what, request(method, uri, body, token));
      if (response.statusCode() == 401 && token != null && attempt == 1) {
        tokens.invalidate(token); // expired or revoked early: renew once
        continue;
      }
      if (response.statusCode() != expected) {
        throw new VtnException(what, response.statusCode(), problemIn(response.body()), null);
      }
      return response.body();
    }
  }

  private HttpRequest request(String method, URI uri, Object body, String token) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json");
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    if (body == null) {
      return builder.method(method, HttpRequest.BodyPublishers.noBody()).build();
    }
    try {
      return builder
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
          .build();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot write " + body, e);
    }
  }

  private HttpResponse<String> call(String what, HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new VtnException(what, 0, null, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new VtnException(what, 0, null, e);
    }
  }

  private Problem problemIn(String body) {
    try {
      return body == null || body.isBlank() ? null : json.readValue(body, Problem.class);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static String queryString(Map<String, String> query) {
    if (query.isEmpty()) {
      return "";
    }
    StringBuilder s = new StringBuilder("?");
    query.forEach(
        (k, v) -> {
          if (s.length() > 1) {
            s.append('&');
          }
          s.append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
    return s.toString();
  }
}
