package io.flexrig.controller.price;

import io.flexrig.core.economics.PowerPrice;
import io.flexrig.core.economics.PriceNotPublishedException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The price in force: the first of its feeds that covers the instant wins (the VTN's PRICE
 * intervals, then the real-time price file, then the fixed or time-of-use tariff). No feed covering
 * an instant means no price: price-driven dispatch then leaves setpoints as they are rather than
 * guess.
 */
public final class PriceStack implements PowerPrice {

  private final List<PriceFeed> feeds;

  /** Feeds in precedence order, the most specific first. */
  public PriceStack(List<PriceFeed> feeds) {
    this.feeds = List.copyOf(feeds);
  }

  /** The feeds, most specific first. */
  public List<PriceFeed> feeds() {
    return feeds;
  }

  /**
   * The price in force and its source.
   *
   * @throws PriceNotPublishedException when no feed covers the instant
   */
  public PriceFeed.Quote quoteAt(Instant at) {
    for (PriceFeed feed : feeds) {
      Optional<PriceFeed.Quote> q = feed.quoteAt(at);
      if (q.isPresent()) {
        return q.get();
      }
    }
    throw new PriceNotPublishedException(
        at, "none of the " + feeds.size() + " configured price feeds covers it");
  }

  @Override
  public double usdPerKwhAt(Instant at) {
    return quoteAt(at).usdPerKwh();
  }
}
