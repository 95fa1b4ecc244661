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
import io.flexrig.proto.v1.SetpointKind;
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

/**
 * Multi-interval DISPATCH_SETPOINT events and modified VTN events, through the controller's VEN.
 */
@Tag("integration")
class OpenAdrScheduleAndModifyTest {

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

  private void startLink() {
    adr.link(site.controller(), "adr-site-ven", SITE);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> site.controller().fleet().siteLoad(SITE).measuredW() > 5900);
  }

  @Test
  void aDispatchSetpointWithSeveralIntervalsBecomesOneScheduledEvent() {
    startLink();
    String programId = adr.programId();
    Instant start = Instant.now().plusSeconds(30).truncatedTo(ChronoUnit.SECONDS);
    vtn.createEvent(
        Event.request(
            programId,
            "setpoints",
            null,
            List.of(EventPayloadDescriptor.of("DISPATCH_SETPOINT", "KW", null)),
            IntervalPeriod.of(start.toString(), "PT15M"),
            List.of(
                new Interval(0, null, List.of(ValuesMap.of("DISPATCH_SETPOINT", 5.0))),
                new Interval(1, null, List.of(ValuesMap.of("DISPATCH_SETPOINT", 4.2))))));

    CurtailmentEvent curtailment =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(site::events, events -> events.size() == 1)
            .getFirst();

    assertThat(curtailment.getSetpointSchedule().getKind())
        .isEqualTo(SetpointKind.SETPOINT_KIND_CAP);
    assertThat(curtailment.getSetpointSchedule().getStepsList())
        .extracting(s -> s.getKw())
        .containsExactly(5.0, 4.2);
    assertThat(curtailment.getSetpointSchedule().getSteps(1).getStartAt().getSeconds())
        .isEqualTo(start.plus(Duration.ofMinutes(15)).getEpochSecond());
    assertThat(curtailment.getEndAt().getSeconds())
        .isEqualTo(start.plus(Duration.ofMinutes(30)).getEpochSecond());
  }

  @Test
  void aModifiedVtnEventModifiesTheSameCurtailmentEvent() {
    startLink();
    String programId = adr.programId();
    Instant start = Instant.now().plusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
    Event event =
        vtn.createEvent(
            Event.request(
                programId,
                "peak",
                null,
                List.of(EventPayloadDescriptor.of("SIMPLE", null, null)),
                IntervalPeriod.of(start.toString(), "PT10M"),
                List.of(new Interval(0, null, List.of(ValuesMap.of("SIMPLE", 2))))));
    CurtailmentEvent first =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(site::events, events -> events.size() == 1)
            .getFirst();
    assertThat(first.getReduceByKw()).isEqualTo(2.0);

    vtn.updateEvent(
        event.id(),
        Event.request(
            programId,
            "peak",
            null,
            List.of(EventPayloadDescriptor.of("SIMPLE", null, null)),
            IntervalPeriod.of(start.toString(), "PT20M"),
            List.of(new Interval(0, null, List.of(ValuesMap.of("SIMPLE", 3))))));

    CurtailmentEvent modified =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                site::events,
                events -> events.size() == 1 && events.getFirst().getReduceByKw() == 3.0)
            .getFirst();
    assertThat(modified.getEventId()).isEqualTo(first.getEventId());
    assertThat(modified.getState()).isEqualTo(EventState.EVENT_STATE_SCHEDULED);
    assertThat(modified.getEndAt().getSeconds())
        .isEqualTo(start.plus(Duration.ofMinutes(20)).getEpochSecond());
  }
}
