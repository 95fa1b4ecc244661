package io.flexrig.openadr.ven;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.flexrig.openadr.model.Notification;
import io.flexrig.openadr.model.OpenAdrJson;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VEN's callback endpoint for subscription notifications. Answers the VTN's {@code echo}
 * challenge (Definition, "Webhooks"), accepts only requests carrying the bearer token the VEN put
 * in its subscription, and hands each notification to {@code sink} without blocking the VTN.
 */
final class WebhookReceiver implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WebhookReceiver.class);
  private static final String PATH = "/openadr/notifications";
  private static final int MAX_BODY = 1 << 20;

  private final HttpServer server;
  private final String bearerToken;
  private final Consumer<Notification> sink;

  WebhookReceiver(InetSocketAddress address, String bearerToken, Consumer<Notification> sink)
      throws IOException {
    this.bearerToken = bearerToken;
    this.sink = sink;
    // Handlers only parse and enqueue, so the server's own dispatcher thread is enough.
    this.server = HttpServer.create(address, 16);
    server.createContext(PATH, this::handle);
    server.start();
  }

  /** The token the VTN must present, as registered in the subscription. */
  String bearerToken() {
    return bearerToken;
  }

  /** The URL to register in a subscription. */
  URI callbackUrl() {
    InetSocketAddress bound = server.getAddress();
    return URI.create(
        "http://" + bound.getAddress().getHostAddress() + ":" + bound.getPort() + PATH);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String echo = echoIn(exchange.getRequestURI().getRawQuery());
      if ("GET".equals(exchange.getRequestMethod()) && echo != null) {
        respond(exchange, 200, echo);
        return;
      }
      if (!"POST".equals(exchange.getRequestMethod())) {
        respond(exchange, 405, "");
        return;
      }
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      if (!("Bearer " + bearerToken).equals(auth)) {
        log.warn("notification without the subscription's bearer token refused");
        respond(exchange, 401, "");
        return;
      }
      Notification notification;
      try (InputStream in = exchange.getRequestBody()) {
        notification = OpenAdrJson.mapper().readValue(in.readNBytes(MAX_BODY), Notification.class);
      } catch (IOException e) {
        respond(exchange, 400, "");
        return;
      }
      respond(exchange, 200, "");
      sink.accept(notification);
    }
  }

  private static String echoIn(String rawQuery) {
    if (rawQuery == null) {
      return null;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.startsWith("echo=")) {
        return URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
