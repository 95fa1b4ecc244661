package io.flexrig.core.economics;

import java.time.Instant;

/**
 * Forecast system load for one 15-minute settlement interval (e.g. ERCOT's seven-day load forecast,
 * interpolated to 15 minutes).
 *
 * @param start start of the interval
 * @param systemLoadMw forecast total system load in MW
 */
public record LoadForecast(Instant start, double systemLoadMw) {
  public LoadForecast {
    Prices.requirePositive("system_load_mw", systemLoadMw);
  }
}
