package io.flexrig.controller.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flexrig.controller.ControllerConfig;
import io.flexrig.controller.FleetController;
import io.flexrig.controller.hybrid.HybridSettings;
import io.flexrig.controller.metrics.FleetMetrics;
import io.flexrig.controller.price.PriceSettings;
import io.flexrig.controller.price.PriceStatus;
import io.flexrig.core.economics.Workload;
import io.flexrig.metricshttp.MetricsSettings;
import io.flexrig.openadr.model.Event;
import io.flexrig.openadr.model.EventPayloadDescriptor;
import io.flexrig.openadr.model.Interval;
import io.flexrig.openadr.model.IntervalPeriod;
import io.flexrig.openadr.model.ValuesMap;
import io.flexrig.openadr.vtn.VtnStandIn;
import io.flexrig.proto.v1.Command;
import io.flexrig.testkit.NodeTools;
import io.flexrig.testkit.Scrape;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Price-driven dispatch in a real controller: rigs of packaged models connected over gRPC on
 * loopback, prices from a real-time price file the test rewrites, and from PRICE events on an
 * OpenADR VTN stand-in. Seed economics: the S19j Pro reduces above 0.034 USD/kWh and breaks even at
 * nameplate at 0.055 USD/kWh (down to 1,500 W above 0.051); the S21 reduces only above 0.070.
 */
@Tag("integration")
class PriceDispatchTest {

  private static final String SITE = "price-site";
  private static final String PRICE_EVENT = "price:" + SITE;
  private static final double TARIFF_USD_PER_KWH = 0.030;

  @TempDir Path dir;
  private FleetController controller;
  private VtnFixture adr;
  private ScriptedAgent s19;
  private ScriptedAgent s21;
  private ScriptedAgent gpu;

  @AfterEach
  void stop() throws InterruptedException {
    if (adr != null) {
      adr.close();
    }
    for (ScriptedAgent a : new ScriptedAgent[] {s19, s21, gpu}) {
      if (a != null) {
        a.close();
      }
    }
    if (controller != null) {
      controller.close();
    }
  }

  private void startController(Map<String, String> priceOptions) {
    PriceSettings price =
        PriceSettings.parse(priceOptions::get)
            .orElseThrow()
            .withRhythm(Duration.ofMillis(200), 0.05, Duration.ZERO);
    controller =
        new FleetController(
                new ControllerConfig(
                        0, dir.resolve("c.db"), true, Duration.ofMillis(200), Clock.systemUTC())
                    .withMetrics(MetricsSettings.loopback(0))
                    .withPrice(price)
                    .withHybrid(HybridSettings.parse(priceOptions::get).orElse(null)))
            .start();
    s19 = agent("s19", "antminer-s19j-pro", 3068);
    s21 = agent("s21", "antminer-s21", 3500);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> controller.fleet().siteLoad(SITE).rigsMeasured() == 2);
  }

  private ScriptedAgent agent(String rigId, String profile, double normalW) {
    ScriptedAgent agent = new ScriptedAgent(controller.port(), rigId, normalW, 25);
    agent.hello(
        ScriptedAgent.asicHello(rigId, SITE, normalW, 29.5, 1000).toBuilder()
            .setRig(
                io.flexrig.proto.v1.RigIdentity.newBuilder()
                    .setRigId(rigId)
                    .setSiteId(SITE)
                    .setHardwareProfileId(profile))
            .build());
    agent.streamTelemetry(200);
    return agent;
  }

  @Test
  void aHybridSiteWhereServingAiEarnsMoreSleepsItsMinersAndLeavesTheGpuRigRunning() {
    startController(
        Map.of(
            "price-fixed-usd-per-kwh",
            Double.toString(TARIFF_USD_PER_KWH),
            "hybrid-sites",
            SITE,
            "hybrid-tick-s",
            "0.2"));
    gpu = agent("gpu", "gpu-rig-8x-rtx4090", 4200);

    await().atMost(Duration.ofSeconds(10)).until(() -> s19.powerW() == 25 && s21.powerW() == 25);

    String hybridEvent = "hybrid:" + SITE;
    assertThat(s19.commands)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getEventId()).isEqualTo(hybridEvent);
              assertThat(c.hasSleep()).isTrue();
            });
    assertThat(s21.commands.getFirst().getEventId()).isEqualTo(hybridEvent);
    assertThat(gpu.commands).isEmpty();
    assertThat(controller.hybridDecision(SITE).orElseThrow().workload()).isEqualTo(Workload.AI);
  }

  @Test
  void aPriceFileIntervalAboveTheS19sBreakEvenCurtailsItUntilThePriceFallsBack() throws Exception {
    Path prices = dir.resolve("prices.csv");
    writePrices(prices, 25);
    startController(
        Map.of(
            "price-file", prices.toString(),
            "price-fixed-usd-per-kwh", Double.toString(TARIFF_USD_PER_KWH)));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> controller.priceStatus().orElseThrow().price().isPresent());
    assertThat(controller.priceStatus().orElseThrow().price().get().source())
        .isEqualTo("file:" + prices);
    assertThat(s19.commands).isEmpty();

    writePrices(prices, 60.5); // the ISO integration drops a new file: 0.0605 USD/kWh
    Command curtail =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> s19.commands, c -> !c.isEmpty())
            .getFirst();
    assertThat(curtail.getEventId()).isEqualTo(PRICE_EVENT);
    assertThat(curtail.getSetPowerTarget().getPowerW()).isEqualTo(1500);
    await().atMost(Duration.ofSeconds(5)).until(() -> s19.powerW() == 1500);

    PriceStatus status = controller.priceStatus().orElseThrow();
    assertThat(status.price().get().usdPerKwh()).isEqualTo(0.0605);
    assertThat(status.curtailed())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.rigId()).isEqualTo("s19");
              assertThat(r.powerW()).isEqualTo(1500);
            });
    assertThat(status.strikes())
        .extracting(PriceStatus.Strike::profileId)
        .containsExactly("antminer-s19j-pro", "antminer-s21");
    String scrape = scrape();
    assertThat(scrape)
        .contains(FleetMetrics.PRICE + "{source=\"file:" + prices + "\"} 0.0605")
        .containsPattern(
            FleetMetrics.PRICE_CURTAILED + "\\{[^}]*rig=\"s19\"[^}]*setpoint=\"power_target\"")
        .contains(FleetMetrics.PRICE_RIGS_CURTAILED + "{site=\"" + SITE + "\"} 1.0")
        .containsPattern(
            FleetMetrics.PRICE_STRIKE
                + "\\{level=\"break_even\",profile=\"antminer-s19j-pro\"\\} 0\\.054");
    // Every price metric the dashboards use is one this controller really exports (read by an
    // independent parser while a rig is on a price setpoint, so every price family has points).
    List<String> dashboardPrice =
        NodeTools.dashboardMetrics(NodeTools.dashboards()).stream()
            .filter(n -> n.startsWith("flexrig_price_"))
            .distinct()
            .toList();
    assertThat(dashboardPrice)
        .as("the fleet dashboard's price-driven dispatch panels")
        .containsExactlyInAnyOrder(
            FleetMetrics.PRICE_KNOWN,
            FleetMetrics.PRICE,
            FleetMetrics.PRICE_STRIKE,
            FleetMetrics.PRICE_CURTAILED,
            FleetMetrics.PRICE_RIGS_CURTAILED);
    assertThat(Scrape.of(NodeTools.scrape(metricsUrl())).families().keySet())
        .as("the dashboards' price metrics, against a live scrape")
        .containsAll(dashboardPrice);

    writePrices(prices, 25);
    await().atMost(Duration.ofSeconds(10)).until(() -> s19.commands.getLast().hasRelease());
    assertThat(s19.commands.getLast().getEventId()).isEqualTo(PRICE_EVENT);
    await().atMost(Duration.ofSeconds(5)).until(() -> s19.powerW() == 3068);
    assertThat(s21.commands).as("the S21 breaks even above 0.07 USD/kWh").isEmpty();
    assertThat(controller.priceStatus().orElseThrow().curtailed()).isEmpty();
  }

  @Test
  void aVtnPriceEventCurtailsTheS19ForItsIntervalThenTheTariffReleasesIt() {
    startController(Map.of("price-fixed-usd-per-kwh", Double.toString(TARIFF_USD_PER_KWH)));
    adr = VtnFixture.start("price-ven", "rtp");
    adr.link(controller, "price-site-ven", SITE);
    String programId = adr.programId();
    VtnStandIn vtn = adr.vtn();
    Instant start = Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.MILLIS);
    Event event =
        vtn.createEvent(
            Event.request(
                programId,
                "evening-price",
                null,
                List.of(EventPayloadDescriptor.of("PRICE", "KWH", "USD")),
                IntervalPeriod.of(start.toString(), "PT10S"),
                List.of(new Interval(0, null, List.of(ValuesMap.of("PRICE", 0.0605))))));

    Command curtail =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> s19.commands, c -> !c.isEmpty())
            .getFirst();
    assertThat(curtail.getEventId()).isEqualTo(PRICE_EVENT);
    assertThat(curtail.getSetPowerTarget().getPowerW()).isEqualTo(1500);
    assertThat(controller.priceStatus().orElseThrow().price().orElseThrow().source())
        .isEqualTo("openadr:" + event.id());

    await().atMost(Duration.ofSeconds(15)).until(() -> s19.commands.getLast().hasRelease());
    assertThat(Instant.now()).isAfterOrEqualTo(start.plusSeconds(10));
    assertThat(controller.priceStatus().orElseThrow().price().orElseThrow().source())
        .isEqualTo("tariff:fixed");
    assertThat(s21.commands).isEmpty();
  }

  /** One hour-long interval around now, written as an ISO integration would: rename into place. */
  private static void writePrices(Path file, double usdPerMwh) throws IOException {
    Instant from = Instant.now().truncatedTo(ChronoUnit.HOURS);
    List<String> lines = new ArrayList<>();
    lines.add("# written by the test's ISO integration");
    lines.add("start,minutes,usd_per_mwh");
    lines.add(from.minus(Duration.ofHours(1)) + ",60," + usdPerMwh);
    lines.add(from + ",60," + usdPerMwh);
    lines.add(from.plus(Duration.ofHours(1)) + ",60," + usdPerMwh);
    Path tmp = Files.createTempFile(file.getParent(), "prices", ".tmp");
    Files.write(tmp, lines);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private String metricsUrl() {
    return "http://127.0.0.1:" + controller.metricsPort() + "/metrics";
  }

  private String scrape() throws IOException, InterruptedException {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(
              HttpRequest.newBuilder(URI.create(metricsUrl()))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    }
  }
}
