package io.flexrig.controller.store;

/** A database failure the caller cannot fix (unreadable file, broken schema). */
public final class StoreException extends RuntimeException {

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
