package io.flexrig.controller.price;

import java.time.Instant;
import java.util.Optional;

/**
 * One source of power prices the controller listens to: a tariff, a real-time price file, a VTN's
 * PRICE events. A feed may cover only some instants; {@link PriceStack} asks feeds in precedence
 * order and the first that covers an instant sets its price.
 */
public interface PriceFeed {

  /** The price this feed sets at {@code at}; empty when it has none for that instant. */
  Optional<Quote> quoteAt(Instant at);

  /** The feed's name for operators, e.g. {@code tariff:fixed}, {@code file:/var/lib/..}. */
  String name();

  /**
   * A price and who set it.
   *
   * @param usdPerKwh USD per kWh
   * @param source for operators, e.g. {@code tariff:fixed}, {@code file:/var/lib/..}, {@code
   *     openadr:<event id>}
   */
  record Quote(double usdPerKwh, String source) {}
}
