package io.flexrig.controller.price;

import io.flexrig.core.economics.PowerPrice;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A tariff that prices every instant (a fixed rate or a time-of-use schedule).
 *
 * @param name the source name shown to operators, e.g. {@code tariff:fixed}
 */
public record TariffFeed(String name, PowerPrice tariff) implements PriceFeed {

  public TariffFeed {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(tariff, "tariff");
  }

  @Override
  public Optional<Quote> quoteAt(Instant at) {
    return Optional.of(new Quote(tariff.usdPerKwhAt(at), name));
  }
}
