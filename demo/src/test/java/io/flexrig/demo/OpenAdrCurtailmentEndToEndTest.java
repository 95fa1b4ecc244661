package io.flexrig.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.flexrig.controller.openadr.OpenAdrBridge;
import io.flexrig.core.profile.HardwareProfile;
import io.flexrig.core.profile.ProfileCatalog;
import io.flexrig.openadr.SimpleLevels;
import io.flexrig.openadr.model.Event;
import io.flexrig.openadr.model.EventPayloadDescriptor;
import io.flexrig.openadr.model.Interval;
import io.flexrig.openadr.model.IntervalPeriod;
import io.flexrig.openadr.model.Program;
import io.flexrig.openadr.model.Report;
import io.flexrig.openadr.model.ValuesMap;
import io.flexrig.openadr.ven.VenClient;
import io.flexrig.openadr.ven.VenConfig;
import io.flexrig.openadr.vtn.VtnStandIn;
import io.flexrig.proto.v1.CurtailmentEvent;
import io.flexrig.proto.v1.EventStatus;
import io.flexrig.proto.v1.GetEventStatusRequest;
import io.flexrig.proto.v1.ListCurtailmentEventsRequest;
import io.flexrig.sim.SimulatedRig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A grid operator's OpenADR 3.1 event reaches the rigs: VTN (stand-in following the published
 * OpenAPI document) -> the site's VEN -> the controller's GridService -> dispatcher -> agents ->
 * simulated rigs; and the VEN reports the measured delta back to the VTN.
 */
@Tag("integration")
class OpenAdrCurtailmentEndToEndTest {

  private static final String SITE = "adr-site";
  private static final String PROGRAM = "flexrig-dr";

  @TempDir Path tempDir;
  private LocalFleet fleet;
  private VtnStandIn vtn;
  private VenClient ven;
  private OpenAdrBridge bridge;

  @BeforeEach
  void start() {
    ProfileCatalog catalog = ProfileCatalog.builtIn();
    Map<String, HardwareProfile> rigs = new LinkedHashMap<>();
    rigs.put("adr-r01", catalog.require("antminer-s19j-pro"));
    rigs.put("adr-r02", catalog.require("antminer-s19j-pro"));
    rigs.put("adr-r03", catalog.require("antminer-s21"));
    fleet =
        LocalFleet.start(
            rigs, new LocalFleet.Options(SITE, Duration.ofMillis(500), 4, tempDir.resolve("c.db")));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> FleetDemo.siteStatus(fleet, SITE).getMeasuredKw() >= 0.95 * rigsKw());

    vtn = VtnStandIn.start();
    vtn.addClient("adr-site-ven", "s3cret", VtnStandIn.Role.VEN);
    vtn.createProgram(Program.request(PROGRAM, null));
    AtomicReference<VenClient> venRef = new AtomicReference<>();
    bridge =
        new OpenAdrBridge(
            SITE,
            fleet.grid(),
            Duration.ofSeconds(16),
            Clock.systemUTC(),
            (eventId, intervals) -> venRef.get().postUsageReport(eventId, intervals));
    // SIMPLE level 1 asks this small site for 3 kW.
    ven =
        new VenClient(
            VenConfig.of(
                    vtn.baseUrl(),
                    "adr-site-ven",
                    "s3cret",
                    SITE,
                    PROGRAM,
                    new SimpleLevels(3, 5, 8))
                .withPollInterval(Duration.ofMillis(300)),
            bridge);
    venRef.set(ven);
    ven.start();
  }

  @AfterEach
  void stop() {
    if (ven != null) {
      ven.close();
    }
    if (bridge != null) {
      bridge.close();
    }
    if (vtn != null) {
      vtn.close();
    }
    if (fleet != null) {
      fleet.close();
    }
  }

  @Test
  void simpleEventOnTheVtnCurtailsTheSiteAndTheVenReportsTheMeasuredDelta() {
    // Another program's events are not this site's business.
    String otherProgram = vtn.createProgram(Program.request("unrelated-program", null)).id();
    String ourProgram =
        ven.programs().stream()
            .filter(p -> p.programName().equals(PROGRAM))
            .findFirst()
            .orElseThrow()
            .id();
    Instant start = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.SECONDS);
    Event event =
        vtn.createEvent(
            Event.request(
                ourProgram,
                "evening-peak",
                null,
                List.of(EventPayloadDescriptor.of("SIMPLE", null, null)),
                IntervalPeriod.of(start.toString(), "PT20S"),
                List.of(new Interval(0, null, List.of(ValuesMap.of("SIMPLE", 1))))));

    vtn.createEvent(
        Event.request(
            otherProgram,
            "not-ours",
            null,
            List.of(EventPayloadDescriptor.of("SIMPLE", null, null)),
            IntervalPeriod.of(start.toString(), "PT20S"),
            List.of(new Interval(0, null, List.of(ValuesMap.of("SIMPLE", 3))))));

    CurtailmentEvent curtailment =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    fleet
                        .grid()
                        .listCurtailmentEvents(
                            ListCurtailmentEventsRequest.newBuilder().setSiteId(SITE).build())
                        .getEventsList(),
                events -> events.size() == 1)
            .getFirst();
    assertThat(curtailment.getReduceByKw()).isEqualTo(3.0);
    assertThat(curtailment.getProgram()).contains(PROGRAM).contains("evening-peak");

    EventStatus met =
        await()
            .atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> status(curtailment), s -> s.getTargetMet() && s.hasTargetMetAt());
    assertThat(met.getDeadlineMet()).isTrue();
    assertThat(rigsKw()).isLessThanOrEqualTo(met.getTargetKw() + 0.2);

    Report report =
        await()
            .atMost(Duration.ofSeconds(40))
            .pollInterval(Duration.ofMillis(250))
            .until(() -> vtn.reports(), reports -> reports.size() == 1)
            .getFirst();
    assertThat(report.eventID()).isEqualTo(event.id());
    Map<String, Double> payloads = new LinkedHashMap<>();
    report.resources().getFirst().intervals().getFirst().payloads().stream()
        .forEach(v -> payloads.put(v.type(), ((Number) v.values().getFirst()).doubleValue()));
    assertThat(payloads).containsKeys("USAGE", "BASELINE", "DELTA_USAGE");
    assertThat(payloads.get("DELTA_USAGE"))
        .isCloseTo(payloads.get("USAGE") - payloads.get("BASELINE"), within(0.01));
    // The reported average covers the ramp down, so it sheds less than the 3 kW held at the end.
    assertThat(payloads.get("DELTA_USAGE")).isLessThan(-1.5);
    // The report's baseline is the compliance report's pre-event average of stored telemetry; the
    // event's is the site load estimated at its start: the same load, measured two ways.
    assertThat(payloads.get("BASELINE"))
        .isCloseTo(met.getBaselineKw(), within(0.02 * met.getBaselineKw()));
    assertThat(
            fleet
                .grid()
                .listCurtailmentEvents(
                    ListCurtailmentEventsRequest.newBuilder().setSiteId(SITE).build())
                .getEventsList())
        .hasSize(1);
  }

  private EventStatus status(CurtailmentEvent event) {
    return fleet
        .grid()
        .getEventStatus(GetEventStatusRequest.newBuilder().setEventId(event.getEventId()).build());
  }

  private double rigsKw() {
    return fleet.site().rigs().stream().mapToDouble(SimulatedRig::powerW).sum() / 1000;
  }
}
