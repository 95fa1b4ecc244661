package io.flexrig.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

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

  /** The description, else the deepest cause's message (e.g. "Connection refused"). */
  private static String reason(Status s) {
    Throwable cause = s.getCause();
    String deepest = null;
    while (cause != null) {
      if (cause.getMessage() != null) {
        deepest = cause.getMessage();
      }
      cause = cause.getCause();
    }
    if (deepest != null && deepest.startsWith("finishConnect(")) {
      deepest = deepest.substring(deepest.lastIndexOf(": ") + 2); // Netty's epoll wording
    }
    String description = s.getDescription();
    if (deepest != null && (description == null || description.equals("io exception"))) {
      return deepest;
    }
    return description != null ? description : s.getCode().toString();
  }
}
