package io.flexrig.core.economics;

import java.time.Instant;

/**
 * A flat energy rate, as in most industrial supply contracts and fixed-price PPAs.
 *
 * @param usdPerKwh the rate in USD per kWh
 */
public record FixedPowerPrice(double usdPerKwh) implements PowerPrice {

  public FixedPowerPrice {
    Prices.requireFinite("usd_per_kwh", usdPerKwh);
  }

  @Override
  public double usdPerKwhAt(Instant at) {
    return usdPerKwh;
  }
}
