package io.flexrig.cli;

/** Something on this machine went wrong (a file, TLS material): exit code 1, one line. */
final class LocalFailure extends RuntimeException {
  LocalFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
