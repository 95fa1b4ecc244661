package io.flexrig.cli;

import io.grpc.Status;

/** The process exit codes of flexrigctl, documented in its help. */
final class ExitCodes {
  static final int OK = 0;
  static final int FAILURE = 1;
  static final int USAGE = 2;
  static final int INVALID_ARGUMENT = 3;
  static final int NOT_FOUND = 4;
  static final int DENIED = 5;
  static final int UNAVAILABLE = 6;
  static final int INTERRUPTED = 130;

  private ExitCodes() {}

  /** The exit code for a call that ended with {@code code}. */
  static int of(Status.Code code) {
    return switch (code) {
      case OK -> OK;
      case INVALID_ARGUMENT, OUT_OF_RANGE, FAILED_PRECONDITION, ALREADY_EXISTS -> INVALID_ARGUMENT;
      case NOT_FOUND -> NOT_FOUND;
      case PERMISSION_DENIED, UNAUTHENTICATED -> DENIED;
      case UNAVAILABLE, DEADLINE_EXCEEDED -> UNAVAILABLE;
      case CANCELLED -> INTERRUPTED;
      default -> FAILURE;
    };
  }

  /** The text of the help footer. */
  static final String HELP =
      """
      Exit codes:
        0  success
        1  other failure (internal error of the controller, bad local file)
        2  usage error (unknown option, missing or malformed value)
        3  the controller rejected the request as invalid (its reason is printed)
        4  no such site or event
        5  permission denied or not authenticated
        6  controller unreachable or did not answer in time
      """;
}
