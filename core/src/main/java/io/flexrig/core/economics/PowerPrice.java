package io.flexrig.core.economics;

import java.time.Instant;

/**
 * What one kWh drawn at a given instant costs, whatever the tariff: a fixed rate, a time-of-use
 * schedule or a real-time market price.
 */
@FunctionalInterface
public interface PowerPrice {

  /**
   * The energy price in force at {@code at}, in USD per kWh.
   *
   * @throws PriceNotPublishedException if the tariff has no price for that instant
   */
  double usdPerKwhAt(Instant at);
}
