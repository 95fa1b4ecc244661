package io.flexrig.controller.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Timestamp;
import io.flexrig.controller.ControllerConfig;
import io.flexrig.controller.FleetController;
import io.flexrig.controller.fleet.SiteLoad;
import io.flexrig.controller.metrics.FleetMetrics;
import io.flexrig.metricshttp.MetricsSettings;
import io.flexrig.proto.v1.CreateCurtailmentEventRequest;
import io.flexrig.proto.v1.CurtailmentEvent;
import io.flexrig.proto.v1.EventStatus;
import io.flexrig.proto.v1.GetEventStatusRequest;
import io.flexrig.proto.v1.GridServiceGrpc;
import io.flexrig.testkit.NodeTools;
import io.flexrig.testkit.Scrape;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A controller with three agents (protocol peers over real sockets) and an active curtailment event
 * serves /metrics; an independent Prometheus text-format parser (parse-prometheus-text-format, run
 * by Node.js) scrapes it over HTTP, and the values must be the controller's own view.
 */
@Tag("integration")
class MetricsScrapeTest {
  private static final String SITE = "site-metrics";

  @TempDir Path dir;
  private FleetController controller;
  private ManagedChannel channel;
  private final List<ScriptedAgent> agents = new ArrayList<>();

  @BeforeEach
  void start() {
    controller =
        new FleetController(
                new ControllerConfig(
                        0,
                        dir.resolve("controller.db"),
                        true,
                        Duration.ofMillis(200),
                        Clock.systemUTC())
                    .withMetrics(MetricsSettings.loopback(0)))
            .start();
    channel =
        Grpc.newChannelBuilderForAddress(
                "127.0.0.1", controller.port(), InsecureChannelCredentials.create())
            .build();
    for (String rig : List.of("s19-a", "s19-b", "s19-c")) {
      ScriptedAgent agent = new ScriptedAgent(controller.port(), rig, 3000, 20);
      agents.add(agent);
      agent.hello(ScriptedAgent.asicHello(rig, SITE, 3000, 29.5, 2000));
      agent.streamTelemetry(200);
    }
  }

  @AfterEach
  void stop() throws InterruptedException {
    for (ScriptedAgent agent : agents) {
      agent.close();
    }
    channel.shutdownNow();
    channel.awaitTermination(5, TimeUnit.SECONDS);
    controller.close();
  }

  private String metricsUrl() {
    return "http://127.0.0.1:" + controller.metricsPort() + "/metrics";
  }

  @Test
  void aScrapeDuringAnEventCarriesTheFleetAndTheEventAsTheControllerSeesThem() throws Exception {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> controller.fleet().siteLoad(SITE).rigsMeasured() == 3);
    Instant now = Instant.now();
    CurtailmentEvent event =
        GridServiceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(5, TimeUnit.SECONDS)
            .createCurtailmentEvent(
                CreateCurtailmentEventRequest.newBuilder()
                    .setSiteId(SITE)
                    .setRequestId("metrics-1")
                    .setReduceByKw(1.5)
                    .setResponseTimeS(5)
                    .setEndAt(at(now.plusSeconds(120)))
                    .setProgram("ERS-10")
                    .build());
    await().atMost(Duration.ofSeconds(15)).until(() -> status(event.getEventId()).getDeadlineMet());

    // The agents settle on their setpoints; then a scrape sees what the controller sees.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              SiteLoad before = controller.fleet().siteLoad(SITE);
              Scrape scrape = Scrape.of(NodeTools.scrape(metricsUrl()));
              SiteLoad after = controller.fleet().siteLoad(SITE);
              assertThat(after.measuredW()).isEqualTo(before.measuredW());
              assertThat(scrape.value(FleetMetrics.SITE_POWER, "site", SITE))
                  .isCloseTo(before.measuredW(), within(1e-6));
            });

    Scrape scrape = Scrape.of(NodeTools.scrape(metricsUrl()));
    EventStatus status = status(event.getEventId());
    assertThat(scrape.contentType()).startsWith("text/plain").contains("version=0.0.4");
    assertThat(scrape.families().get(FleetMetrics.RIGS_KNOWN).type()).isEqualTo("GAUGE");
    assertThat(scrape.value(FleetMetrics.RIGS_KNOWN, "site", SITE)).isEqualTo(3);
    assertThat(scrape.value(FleetMetrics.RIGS_CONNECTED, "site", SITE)).isEqualTo(3);
    assertThat(scrape.value(FleetMetrics.RIGS_CURTAILED, "site", SITE))
        .isEqualTo(status.getRigsCurtailed());
    assertThat(scrape.value(FleetMetrics.SITE_NAMEPLATE, "site", SITE)).isEqualTo(9000);
    assertThat(scrape.value(FleetMetrics.SESSIONS)).isEqualTo(3);
    assertThat(scrape.value(FleetMetrics.SAMPLES + "_total")).isPositive();
    assertThat(scrape.families().get(FleetMetrics.SAMPLES + "_total").type()).isEqualTo("COUNTER");
    assertThat(scrape.value(FleetMetrics.SAMPLE_AGE, "site", SITE)).isBetween(0.0, 30.0);
    assertThat(scrape.value(FleetMetrics.STORE_QUEUE)).isGreaterThanOrEqualTo(0);

    String[] ev = {"site", SITE, "event", event.getEventId(), "program", "ERS-10"};
    assertThat(scrape.value(FleetMetrics.EVENT_ACTIVE, "site", SITE)).isEqualTo(1);
    assertThat(scrape.value(FleetMetrics.EVENT_BASELINE, ev)).isCloseTo(9000, within(1e-6));
    assertThat(scrape.value(FleetMetrics.EVENT_TARGET, ev))
        .isCloseTo(status.getTargetKw() * 1000, within(1e-6))
        .isCloseTo(7500, within(1e-6));
    assertThat(scrape.value(FleetMetrics.EVENT_MEASURED, ev)).isLessThanOrEqualTo(7500);
    assertThat(scrape.value(FleetMetrics.EVENT_RIGS_CURTAILED, ev))
        .isEqualTo(status.getRigsCurtailed())
        .isPositive();
    assertThat(scrape.value(FleetMetrics.EVENT_TARGET_MET, ev)).isEqualTo(1);
    assertThat(scrape.value(FleetMetrics.EVENT_DEADLINE_MET, ev)).isEqualTo(1);
    assertThat(scrape.value(FleetMetrics.EVENT_DEADLINE, ev))
        .isCloseTo(now.plusSeconds(5).toEpochMilli() / 1e3, within(2.0));

    // Every controller metric the dashboards use is one this controller really exports.
    List<String> names = NodeTools.dashboardMetrics(NodeTools.dashboards());
    List<String> controllerNames =
        names.stream()
            .filter(
                n ->
                    n.startsWith("flexrig_fleet_")
                        || n.startsWith("flexrig_controller_")
                        || n.startsWith("flexrig_event_"))
            .distinct()
            .toList();
    assertThat(controllerNames).isNotEmpty();
    assertThat(scrape.families().keySet())
        .as("the dashboards' controller metrics, against a live scrape")
        .containsAll(controllerNames);
  }

  private EventStatus status(String eventId) {
    return GridServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(5, TimeUnit.SECONDS)
        .getEventStatus(GetEventStatusRequest.newBuilder().setEventId(eventId).build());
  }

  private static Timestamp at(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }
}
