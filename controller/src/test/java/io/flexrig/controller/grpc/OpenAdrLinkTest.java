package io.flexrig.controller.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flexrig.openadr.model.Event;
import io.flexrig.openadr.model.EventPayloadDescriptor;
import io.flexrig.openadr.model.Interval;
import io.flexrig.openadr.model.IntervalPeriod;
import io.flexrig.openadr.model.ValuesMap;
import io.flexrig.openadr.vtn.VtnStandIn;
import io.flexrig.proto.v1.CurtailmentEvent;
import io.flexrig.proto.v1.EventState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
  private ScriptedSite site;
  private VtnFixture adr;
  private VtnStandIn vtn;

  @BeforeEach
  void start() {
    site = ScriptedSite.start(dir, SITE, "r1", "r2");
    adr = VtnFixture.start("adr-ven", PROGRAM);
    vtn = adr.vtn();
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (adr != null) {
      adr.close();
    }
    if (site != null) {
      site.close();
    }
  }

  @Test
  void vtnEventBecomesACurtailmentEventAndItsMeasuredResultIsReported() {
    adr.link(site.controller(), "adr-site-ven", SITE);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> site.controller().fleet().siteLoad(SITE).measuredW() > 5900);
    String programId = adr.programId();
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
            .until(site::events, events -> events.size() == 1)
            .getFirst();
    assertThat(curtailment.getReduceByKw()).isEqualTo(2.0);
    assertThat(curtailment.getProgram()).contains(PROGRAM, "peak");

    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                site.events().getFirst().getState() == EventState.EVENT_STATE_COMPLETED
                    && vtn.reports().size() == 1);
    assertThat(vtn.reports().getFirst().eventID()).isEqualTo(event.id());
  }
}
