package io.flexrig.core.economics;

import java.time.Instant;

/**
 * A price series has no interval covering the instant asked for and no fallback was configured: the
 * dispatcher must not guess the price of power it is about to buy.
 */
public final class PriceNotPublishedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Instant at;

  public PriceNotPublishedException(Instant at, String detail) {
    super("no power price published for " + at + ": " + detail);
    this.at = at;
  }

  /** The instant nobody published a price for. */
  public Instant at() {
    return at;
  }
}
