package io.flexrig.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import javax.net.ssl.SSLException;

/** Turns a failed gRPC call into one line an operator can act on. */
final class CallFailure {

  private CallFailure() {}

  /**
   * The message for a call to {@code controller} (host:port) that failed with {@code e}; {@code
   * timeout} is the deadline the call had.
   */
  static String message(StatusRuntimeException e, String controller, String timeout) {
    Status s = e.getStatus();
    String reason = reason(s);
    return switch (s.getCode()) {
      case INVALID_ARGUMENT, OUT_OF_RANGE, FAILED_PRECONDITION, ALREADY_EXISTS ->
          "rejected by the controller: " + reason;
      case NOT_FOUND -> "not found: " + reason;
      case PERMISSION_DENIED -> "permission denied: " + reason;
      case UNAUTHENTICATED ->
          "not authenticated: " + reason + " (check --token-file, --cert and --key)";
      case UNAVAILABLE -> "controller " + controller + " unavailable: " + reason;
      case DEADLINE_EXCEEDED -> "controller " + controller + " did not answer within " + timeout;
      case CANCELLED -> "cancelled";
      default -> "controller " + controller + " failed: " + s.getCode() + ": " + reason;
    };
  }

  /**
   * The first line of the description, else of the deepest cause's message (e.g. "Connection
   * refused"); a failed TLS handshake says so.
   */
  private static String reason(Status s) {
    Throwable cause = s.getCause();
    String deepest = null;
    boolean tls = false;
    while (cause != null) {
      if (cause.getMessage() != null) {
        deepest = firstLine(cause.getMessage());
      }
      tls |= cause instanceof SSLException;
      cause = cause.getCause();
    }
    if (deepest != null && deepest.startsWith("finishConnect(")) {
      deepest = deepest.substring(deepest.lastIndexOf(": ") + 2); // Netty's epoll wording
    }
    String description = s.getDescription() == null ? null : firstLine(s.getDescription());
    String reason;
    if (deepest != null && (description == null || description.equals("io exception"))) {
      reason = deepest;
    } else {
      reason = description != null ? description : s.getCode().toString();
    }
    if (!tls) {
      return reason;
    }
    if (reason.startsWith("not an SSL/TLS record")) {
      return "the controller does not speak TLS (a development controller? add --plaintext)";
    }
    return "TLS handshake failed: " + reason;
  }

  private static String firstLine(String text) {
    int nl = text.indexOf('\n');
    return (nl < 0 ? text : text.substring(0, nl)).strip();
  }
}
