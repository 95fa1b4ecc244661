package io.flexrig.controller.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flexrig.controller.ControllerConfig;
import io.flexrig.controller.FleetController;
import io.flexrig.controller.openadr.OpenAdrLink;
import io.flexrig.controller.openadr.OpenAdrSettings;
import io.flexrig.openadr.SimpleLevels;
import io.flexrig.openadr.model.Event;
import io.flexrig.openadr.model.EventPayloadDescriptor;
import io.flexrig.openadr.model.Interval;
import io.flexrig.openadr.model.IntervalPeriod;
import io.flexrig.openadr.model.Program;
import io.flexrig.openadr.model.ValuesMap;
import io.flexrig.openadr.vtn.VtnStandIn;
import io.flexrig.proto.v1.CurtailmentEvent;
import io.flexrig.proto.v1.EventState;
import io.flexrig.proto.v1.GridServiceGrpc;
import io.flexrig.proto.v1.ListCurtailmentEventsRequest;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The controller's own OpenADR VEN, wired as ControllerMain wires it, against a VTN stand-in. */
@Tag("integration")
class OpenAdrLinkTest {

  private static final String SITE = "adr-site";
  private static final String PROGRAM = "site-dr";

  @TempDir Path dir;
  private FleetController controller;
  private VtnStandIn vtn;
  private OpenAdrLink link;
  private ManagedChannel channel;
  private final List<ScriptedAgent> agents = new ArrayList<>();

  @BeforeEach
  void start() {
    controller =
        new FleetController(
                new ControllerConfig(
                    0, dir.resolve("c.db"), true, Duration.ofMillis(200), Clock.systemUTC()))
            .start();
    for (String rig : List.of("r1", "r2")) {
      ScriptedAgent agent = new ScriptedAgent(controller.port(), rig, 3000, 20);
      agents.add(agent);
      agent.hello(ScriptedAgent.asicHello(rig, SITE, 3000, 29.5, 1500));
      agent.streamTelemetry(200);
    }
    vtn = VtnStandIn.start();
    vtn.addClient("adr-ven", "s3cret", VtnStandIn.Role.VEN);
    vtn.createProgram(Program.request(PROGRAM, null));
    channel =
        Grpc.newChannelBuilderForAddress(
                "127.0.0.1", controller.port(), InsecureChannelCredentials.create())
            .build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (link != null) {
      link.close();
    }
    for (ScriptedAgent agent : agents) {
      agent.close();
    }
    channel.shutdownNow();
    vtn.close();
    controller.close();
  }

  @Test
  void vtnEventBecomesACurtailmentEventAndItsMeasuredResultIsReported() {
    link =
        OpenAdrLink.start(
            controller,
            new OpenAdrSettings(
                vtn.baseUrl(),
                "adr-ven",
                "s3cret",
                "adr-site-ven",
                PROGRAM,
                SITE,
                new SimpleLevels(1, 2, 3),
                Duration.ofSeconds(3),
                Duration.ofMillis(200)),
            Clock.systemUTC());
    await().atMost(Duration.ofSeconds(10)).until(() -> vtn.vens().size() == 1);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> controller.fleet().siteLoad(SITE).measuredW() > 5900);
    String programId = link.ven().programs().getFirst().id();
    Instant start = Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.MILLIS);
    Event event =
        vtn.createEvent(
            Event.request(
                programId,
                "peak",
                null,
                List.of(EventPayloadDescriptor.of("SIMPLE", null, null)),
                IntervalPeriod.of(start.toString(), "PT6S"),
                List.of(new Interval(0, null, List.of(ValuesMap.of("SIMPLE", 2))))));

    CurtailmentEvent curtailment =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(this::events, events -> events.size() == 1)
            .getFirst();
    assertThat(curtailment.getReduceByKw()).isEqualTo(2.0);
    assertThat(curtailment.getProgram()).contains(PROGRAM, "peak");

    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                events().getFirst().getState() == EventState.EVENT_STATE_COMPLETED
                    && vtn.reports().size() == 1);
    assertThat(vtn.reports().getFirst().eventID()).isEqualTo(event.id());
  }

  private List<CurtailmentEvent> events() {
    return GridServiceGrpc.newBlockingStub(channel)
        .listCurtailmentEvents(ListCurtailmentEventsRequest.newBuilder().setSiteId(SITE).build())
        .getEventsList();
  }
}
