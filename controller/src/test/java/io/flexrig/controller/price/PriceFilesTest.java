package io.flexrig.controller.price;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexrig.core.economics.EconomicsSeeds;
import io.flexrig.core.economics.RealTimePowerPrice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The price files the operator's ISO integration drops, and the price-* options that name them. */
class PriceFilesTest {

  private static final String SPIKE =
      """
      # the seed scarcity spike, first intervals
      start,minutes,usd_per_mwh
      2026-08-20T19:00:00Z,5,32
      2026-08-20T19:05:00Z,5,38

      2026-08-20T19:10:00Z,5,65
      """;

  @TempDir Path dir;

  @Test
  void readsIntervalsInUsdPerMwhAsMarketsPublishThem() {
    RealTimePowerPrice prices = PriceCsv.prices("spike.csv", SPIKE);

    RealTimePowerPrice seed = EconomicsSeeds.builtIn().realTimeSpike();
    assertThat(prices.intervals()).isEqualTo(seed.intervals().subList(0, 3));
    assertThat(prices.usdPerKwhAt(Instant.parse("2026-08-20T19:07:00Z"))).isEqualTo(0.038);
    assertThat(prices.covers(Instant.parse("2026-08-20T19:15:00Z"))).isFalse();
  }

  @Test
  void aMalformedPriceNamesFileLineAndColumn() {
    String bad = SPIKE.replace("19:05:00Z,5,38", "19:05:00Z,5,3 8");

    assertThatThrownBy(() -> PriceCsv.prices("prices.csv", bad))
        .isInstanceOf(PriceFileException.class)
        .hasMessage("prices.csv:4: usd_per_mwh: expected a number, got '3 8'")
        .satisfies(
            e -> {
              PriceFileException p = (PriceFileException) e;
              assertThat(p.line()).isEqualTo(4);
              assertThat(p.field()).isEqualTo("usd_per_mwh");
            });
  }

  @Test
  void eachKindOfMistakeIsLocated() {
    assertThat(error("start,price\n"))
        .isEqualTo("f:1: header: expected 'start,minutes,usd_per_mwh', got 'start,price'");
    assertThat(error("start,minutes,usd_per_mwh\n2026-08-20 19:00,5,32\n"))
        .isEqualTo(
            "f:2: start: expected an ISO-8601 instant such as 2026-08-20T19:00:00Z, got"
                + " '2026-08-20 19:00'");
    assertThat(error("start,minutes,usd_per_mwh\n2026-08-20T19:00:00Z,0,32\n"))
        .isEqualTo("f:2: minutes: must be positive, got 0");
    assertThat(error("start,minutes,usd_per_mwh\n2026-08-20T19:00:00Z,5\n"))
        .isEqualTo("f:2: usd_per_mwh: expected 3 columns (start,minutes,usd_per_mwh), got 2");
    assertThat(error("start,minutes,usd_per_mwh\n2026-08-20T19:00:00Z,5,NaN\n"))
        .isEqualTo("f:2: usd_per_mwh: expected a finite number, got 'NaN'");
    assertThat(
            error(
                "start,minutes,usd_per_mwh\n"
                    + "2026-08-20T19:00:00Z,15,32\n"
                    + "2026-08-20T19:05:00Z,5,38\n"))
        .isEqualTo(
            "f:3: start: the interval of line 3 starting 2026-08-20T19:05:00Z overlaps the one"
                + " of line 2 (2026-08-20T19:00:00Z .. 2026-08-20T19:15:00Z)");
    assertThat(error("# nothing yet\n"))
        .isEqualTo("f:1: header: empty file; expected 'start,minutes,usd_per_mwh'");
  }

  @Test
  void negativePricesAndOffsetsAreValid() {
    RealTimePowerPrice prices =
        PriceCsv.prices("f", "start,minutes,usd_per_mwh\n2026-03-01T02:00:00-06:00,60,-12.5\n");

    assertThat(prices.usdPerKwhAt(Instant.parse("2026-03-01T08:30:00Z"))).isEqualTo(-0.0125);
  }

  @Test
  void aRewrittenFileIsReReadButAMalformedOneLeavesThePricesInForce() throws IOException {
    Path file = dir.resolve("prices.csv");
    write(file, SPIKE);
    PriceFileFeed feed = PriceFileFeed.open(file);
    Instant at = Instant.parse("2026-08-20T19:01:00Z");
    assertThat(feed.quoteAt(at).orElseThrow().usdPerKwh()).isEqualTo(0.032);

    write(file, SPIKE.replace(",32\n", ",410\n"));
    assertThat(feed.quoteAt(at).orElseThrow()).isEqualTo(new PriceFeed.Quote(0.41, "file:" + file));

    write(file, SPIKE.replace(",410\n", ",4l0\n").replace(",32\n", ",4l0\n"));
    assertThat(feed.quoteAt(at).orElseThrow().usdPerKwh()).isEqualTo(0.41);
    assertThat(feed.lastError())
        .hasValueSatisfying(
            e -> assertThat(e).startsWith(file + ":3: usd_per_mwh: expected a number, got '4l0'"));

    write(file, SPIKE);
    assertThat(feed.quoteAt(at).orElseThrow().usdPerKwh()).isEqualTo(0.032);
    assertThat(feed.lastError()).isEmpty();
  }

  @Test
  void noPriceOptionMeansNoPriceDrivenDispatch() {
    assertThat(PriceSettings.parse(Map.<String, String>of()::get)).isEmpty();
    assertThatThrownBy(() -> PriceSettings.parse(Map.of("price-tick-s", "10")::get))
        .hasMessageContaining("--price-tick-s needs a price source");
  }

  @Test
  void theFileComesBeforeTheTariffAndAMalformedFileStopsTheStart() throws IOException {
    Path file = dir.resolve("prices.csv");
    write(file, SPIKE);
    Map<String, String> options = new HashMap<>();
    options.put("price-file", file.toString());
    options.put("price-fixed-usd-per-kwh", "0.048");
    options.put("price-tick-s", "30");
    PriceSettings settings = PriceSettings.parse(options::get).orElseThrow();

    PriceStack stack = new PriceStack(settings.feeds());
    assertThat(stack.quoteAt(Instant.parse("2026-08-20T19:01:00Z")).source())
        .isEqualTo("file:" + file);
    assertThat(stack.quoteAt(Instant.parse("2026-08-20T20:00:00Z")))
        .isEqualTo(new PriceFeed.Quote(0.048, "tariff:fixed"));
    assertThat(settings.tick().toSeconds()).isEqualTo(30);

    write(file, "start,minutes,usd_per_mwh\n2026-08-20T19:00:00Z,5,\n");
    assertThatThrownBy(() -> PriceSettings.parse(options::get))
        .isInstanceOf(PriceFileException.class)
        .hasMessage(file + ":2: usd_per_mwh: expected a number, got ''");
  }

  @Test
  void theTimeOfUseTariffAndThe4cpForecastAreRead() throws IOException {
    Path seeds = Path.of("..", "seeds", "economics.yaml");
    Path forecast = dir.resolve("forecast.csv");
    write(
        forecast, "start,system_load_mw\n2026-08-20T20:00:00Z,86000\n2026-08-20T20:15:00Z,83000\n");
    PriceSettings settings =
        PriceSettings.parse(
                Map.of(
                        "price-tou-file",
                        seeds.toString(),
                        "price-4cp-forecast-file",
                        forecast.toString(),
                        "price-4cp-threshold-mw",
                        "84000",
                        "price-4cp-transmission-usd-per-kw-year",
                        "54")
                    ::get)
            .orElseThrow();

    PriceStack stack = new PriceStack(settings.feeds());
    // 15:00 Central Daylight Time on a Thursday in August: summer on-peak.
    assertThat(stack.quoteAt(Instant.parse("2026-08-20T20:00:00Z")))
        .isEqualTo(new PriceFeed.Quote(0.125, "tariff:time-of-use"));
    PriceSettings.FourCp cp = settings.fourCp().orElseThrow();
    assertThat(cp.window().likelyPeaks(cp.forecast()))
        .containsExactly(Instant.parse("2026-08-20T20:00:00Z"));
    assertThatThrownBy(
            () ->
                PriceSettings.parse(
                    Map.of(
                            "price-fixed-usd-per-kwh", "0.05",
                            "price-4cp-forecast-file", forecast.toString(),
                            "price-4cp-transmission-usd-per-kw-year", "54")
                        ::get))
        .hasMessageContaining("4CP needs one rule");
  }

  private static String error(String text) {
    try {
      PriceCsv.prices("f", text);
    } catch (PriceFileException e) {
      return e.getMessage();
    }
    throw new AssertionError("accepted: " + text);
  }

  private void write(Path file, String text) throws IOException {
    Path tmp = Files.createTempFile(dir, "w", ".tmp");
    Files.writeString(tmp, text);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
