package io.flexrig.controller.price;

import static io.flexrig.controller.price.OptionValues.number;
import static io.flexrig.controller.price.OptionValues.seconds;
import static io.flexrig.controller.price.OptionValues.value;

import io.flexrig.core.economics.EconomicsSeeds;
import io.flexrig.core.economics.FixedPowerPrice;
import io.flexrig.core.economics.FourCpWindow;
import io.flexrig.core.economics.LoadForecast;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * How price-driven dispatch runs: the configured price feeds (a tariff and/or a real-time price
 * file; the VTN's PRICE events are added by the controller in front of them), 4CP peak avoidance,
 * and the planner's rhythm.
 *
 * @param feeds configured feeds in precedence order (real-time file first, then the tariff); at
 *     least one
 * @param fourCp 4CP peak avoidance, if configured
 * @param tick how often every site is evaluated
 * @param deadband relative price band around each strike (hysteresis)
 * @param minHold shortest time between two price-driven changes of one rig
 */
public record PriceSettings(
    List<PriceFeed> feeds,
    Optional<FourCp> fourCp,
    Duration tick,
    double deadband,
    Duration minHold) {

  /** The configuration keys (properties file names; {@code --name} on the command line). */
  public static final Set<String> KEYS =
      Set.of(
          "price-fixed-usd-per-kwh",
          "price-tou-file",
          "price-file",
          "price-4cp-forecast-file",
          "price-4cp-top-n",
          "price-4cp-threshold-mw",
          "price-4cp-transmission-usd-per-kw-year",
          "price-tick-s",
          "price-deadband",
          "price-min-hold-s");

  public static final Duration DEFAULT_TICK = Duration.ofMinutes(1);

  /**
   * 4CP peak avoidance.
   *
   * @param window the rule that flags likely peaks
   * @param forecast the system load forecast, 15-minute intervals
   * @param transmissionUsdPerKwYear the 4CP transmission charge
   */
  public record FourCp(
      FourCpWindow window, List<LoadForecast> forecast, double transmissionUsdPerKwYear) {
    public FourCp {
      Objects.requireNonNull(window, "window");
      forecast = List.copyOf(forecast);
    }
  }

  public PriceSettings {
    feeds = List.copyOf(feeds);
    if (feeds.isEmpty()) {
      throw new IllegalArgumentException("price-driven dispatch needs at least one price feed");
    }
    Objects.requireNonNull(fourCp, "fourCp");
    if (tick.isNegative() || tick.isZero()) {
      throw new IllegalArgumentException("price-tick-s must be positive, got " + tick);
    }
    if (!(deadband >= 0 && deadband < 1)) {
      throw new IllegalArgumentException("price-deadband must be in [0, 1), got " + deadband);
    }
    if (minHold.isNegative()) {
      throw new IllegalArgumentException("price-min-hold-s must not be negative, got " + minHold);
    }
  }

  /** A flat tariff with the standard rhythm (one-minute tick, 5 % deadband, 5-minute hold). */
  public static PriceSettings fixed(double usdPerKwh) {
    return new PriceSettings(
        List.of(new TariffFeed("tariff:fixed", new FixedPowerPrice(usdPerKwh))),
        Optional.empty(),
        DEFAULT_TICK,
        0.05,
        Duration.ofMinutes(5));
  }

  /** The same feeds, evaluated every {@code period} with this deadband and hold time. */
  public PriceSettings withRhythm(Duration period, double band, Duration hold) {
    return new PriceSettings(feeds, fourCp, period, band, hold);
  }

  /** The planner these settings ask for. */
  public PricePlanner planner() {
    return new PricePlanner(deadband, minHold);
  }

  /**
   * Reads the {@code price-*} options; empty when none of the price sources is configured (price
   * -driven dispatch is off by default).
   *
   * @param option an option's value by key, null when not given
   * @throws IllegalArgumentException naming the option (and file, line and field for files)
   */
  public static Optional<PriceSettings> parse(Function<String, String> option) {
    String fixed = value(option, "price-fixed-usd-per-kwh");
    String tou = value(option, "price-tou-file");
    String file = value(option, "price-file");
    if (fixed == null && tou == null && file == null) {
      for (String key : KEYS) {
        if (value(option, key) != null) {
          throw new IllegalArgumentException(
              "--"
                  + key
                  + " needs a price source: --price-fixed-usd-per-kwh, --price-tou-file or"
                  + " --price-file");
        }
      }
      return Optional.empty();
    }
    if (fixed != null && tou != null) {
      throw new IllegalArgumentException(
          "choose one tariff: --price-fixed-usd-per-kwh or --price-tou-file, not both");
    }
    List<PriceFeed> feeds = new ArrayList<>();
    if (file != null) {
      feeds.add(PriceFileFeed.open(Path.of(file)));
    }
    if (fixed != null) {
      double usd = number("price-fixed-usd-per-kwh", fixed);
      feeds.add(new TariffFeed("tariff:fixed", new FixedPowerPrice(usd)));
    }
    if (tou != null) {
      try {
        feeds.add(
            new TariffFeed("tariff:time-of-use", EconomicsSeeds.load(Path.of(tou)).timeOfUse()));
      } catch (IOException e) {
        throw new IllegalArgumentException("--price-tou-file: cannot read " + tou + ": " + e, e);
      }
    }
    return Optional.of(
        new PriceSettings(
            feeds,
            fourCp(option),
            seconds("price-tick-s", value(option, "price-tick-s"), DEFAULT_TICK),
            value(option, "price-deadband") == null
                ? 0.05
                : number("price-deadband", value(option, "price-deadband")),
            seconds("price-min-hold-s", value(option, "price-min-hold-s"), Duration.ofMinutes(5))));
  }

  private static Optional<FourCp> fourCp(Function<String, String> option) {
    String forecastFile = value(option, "price-4cp-forecast-file");
    String topN = value(option, "price-4cp-top-n");
    String threshold = value(option, "price-4cp-threshold-mw");
    String transmission = value(option, "price-4cp-transmission-usd-per-kw-year");
    if (forecastFile == null) {
      if (topN != null || threshold != null || transmission != null) {
        throw new IllegalArgumentException(
            "the --price-4cp-* options need --price-4cp-forecast-file");
      }
      return Optional.empty();
    }
    if ((topN == null) == (threshold == null)) {
      throw new IllegalArgumentException(
          "4CP needs one rule: --price-4cp-top-n N or --price-4cp-threshold-mw MW");
    }
    if (transmission == null) {
      throw new IllegalArgumentException(
          "4CP needs --price-4cp-transmission-usd-per-kw-year (the 4CP transmission charge)");
    }
    FourCpWindow window;
    try {
      window =
          topN != null
              ? FourCpWindow.topIntervals(Integer.parseInt(topN))
              : FourCpWindow.aboveLoad(number("price-4cp-threshold-mw", threshold));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--price-4cp-top-n: expected a whole number, got '" + topN + "'", e);
    }
    double usd = number("price-4cp-transmission-usd-per-kw-year", transmission);
    if (!(usd >= 0)) {
      throw new IllegalArgumentException(
          "--price-4cp-transmission-usd-per-kw-year must not be negative, got " + transmission);
    }
    Path path = Path.of(forecastFile);
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new PriceFileException(forecastFile, 0, "file", "cannot read: " + e);
    }
    return Optional.of(new FourCp(window, PriceCsv.forecast(forecastFile, text), usd));
  }
}
