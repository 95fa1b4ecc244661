package io.flexrig.openadr.ven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.flexrig.openadr.EventCancelled;
import io.flexrig.openadr.GridSignal;
import io.flexrig.openadr.ImportCapacityLimit;
import io.flexrig.openadr.PriceSignal;
import io.flexrig.openadr.ReduceLoad;
import io.flexrig.openadr.SetpointSchedule;
import io.flexrig.openadr.SignalStep;
import io.flexrig.openadr.SimpleLevels;
import io.flexrig.openadr.model.Event;
import io.flexrig.openadr.model.EventPayloadDescriptor;
import io.flexrig.openadr.model.Interval;
import io.flexrig.openadr.model.IntervalPeriod;
import io.flexrig.openadr.model.Program;
import io.flexrig.openadr.model.Report;
import io.flexrig.openadr.model.ReportPayloadDescriptor;
import io.flexrig.openadr.model.ValuesMap;
import io.flexrig.openadr.vtn.VtnStandIn;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A real VEN against the VTN stand-in over loopback HTTP. */
@Tag("integration")
class VenClientTest {
  private static final String PROGRAM = "flexrig-dr";
  private static final Instant SOON =
      Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES);

  private VtnStandIn vtn;
  private Program program;
  private final RecordingListener listener = new RecordingListener();
  private final List<VenClient> clients = new ArrayList<>();

  @BeforeEach
  void startVtn() {
    vtn = VtnStandIn.start();
    vtn.addClient("ven-site-a", "s3cret", VtnStandIn.Role.VEN);
    program = vtn.createProgram(Program.request(PROGRAM, null));
  }

  @AfterEach
  void stop() {
    clients.forEach(VenClient::close);
    vtn.close();
  }

  @Test
  void registersAsVenAndTurnsASimpleEventIntoOneReduceLoad() {
    VenClient ven = start(config());
    Event event = vtn.createEvent(simpleEvent(2));

    ven.pollNow();
    ven.pollNow();

    assertThat(vtn.vens())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.venName()).isEqualTo("site-a");
              assertThat(v.clientID()).isEqualTo("ven-site-a");
            });
    assertThat(ven.ven().id()).isEqualTo(vtn.vens().getFirst().id());
    assertThat(listener.calls())
        .singleElement()
        .satisfies(
            call -> {
              assertThat(call.event().eventId()).isEqualTo(event.id());
              assertThat(call.event().programName()).isEqualTo(PROGRAM);
              assertThat(call.signals()).singleElement().isInstanceOf(ReduceLoad.class);
              ReduceLoad reduce = (ReduceLoad) call.signals().getFirst();
              assertThat(reduce.kw()).isEqualTo(250);
              assertThat(reduce.start()).isEqualTo(SOON);
              assertThat(reduce.duration()).isEqualTo(Duration.ofMinutes(30));
            });
  }

  @Test
  void aRestartedVenFindsItsVenObjectInsteadOfRegisteringAgain() {
    start(config()).close();
    VenClient again = start(config());

    assertThat(vtn.vens()).hasSize(1);
    assertThat(again.ven().venName()).isEqualTo("site-a");
  }

  @Test
  void dispatchSetpointImportLimitAndPriceEventsMapToTheirSignals() {
    VenClient ven = start(config());
    Event setpoints =
        vtn.createEvent(
            Event.request(
                program.id(),
                "setpoints",
                null,
                List.of(EventPayloadDescriptor.of("DISPATCH_SETPOINT", "KW", null)),
                IntervalPeriod.of(SOON.toString(), "PT15M"),
                List.of(
                    new Interval(0, null, List.of(ValuesMap.of("DISPATCH_SETPOINT", 1800.0))),
                    new Interval(1, null, List.of(ValuesMap.of("DISPATCH_SETPOINT", 900))))));
    Event cap =
        vtn.createEvent(
            Event.request(
                program.id(),
                "cap",
                0,
                List.of(EventPayloadDescriptor.of("IMPORT_CAPACITY_LIMIT", "KW", null)),
                IntervalPeriod.of(SOON.toString(), "PT2H"),
                List.of(
                    new Interval(0, null, List.of(ValuesMap.of("IMPORT_CAPACITY_LIMIT", 2500))))));
    Event prices =
        vtn.createEvent(
            Event.request(
                program.id(),
                "day-ahead",
                null,
                List.of(EventPayloadDescriptor.of("PRICE", "KWH", "USD")),
                IntervalPeriod.of(SOON.toString(), "PT1H"),
                List.of(
                    new Interval(0, null, List.of(ValuesMap.of("PRICE", 0.031))),
                    new Interval(1, null, List.of(ValuesMap.of("PRICE", 0.42))))));

    ven.pollNow();

    SetpointSchedule schedule = only(setpoints, SetpointSchedule.class);
    assertThat(schedule.steps())
        .containsExactly(
            new SignalStep(0, SOON, Duration.ofMinutes(15), 1800),
            new SignalStep(1, SOON.plus(Duration.ofMinutes(15)), Duration.ofMinutes(15), 900));
    ImportCapacityLimit limit = only(cap, ImportCapacityLimit.class);
    assertThat(limit.kw()).isEqualTo(2500);
    assertThat(limit.duration()).isEqualTo(Duration.ofHours(2));
    assertThat(limit.event().priority()).isZero();
    PriceSignal price = only(prices, PriceSignal.class);
    assertThat(price.currency()).isEqualTo("USD");
    assertThat(price.steps()).extracting(SignalStep::value).containsExactly(0.031, 0.42);
    assertThat(price.steps().get(1).start()).isEqualTo(SOON.plus(Duration.ofHours(1)));
    // The priority-0 event is announced first.
    assertThat(listener.calls().getFirst().event().eventId()).isEqualTo(cap.id());
  }

  @Test
  void aModifiedEventIsAnnouncedAgainWithItsNewContent() {
    VenClient ven = start(config());
    Event event = vtn.createEvent(simpleEvent(1));
    ven.pollNow();

    vtn.updateEvent(event.id(), simpleEvent(3));
    ven.pollNow();
    ven.pollNow();

    assertThat(listener.callsFor(event.id()))
        .extracting(c -> ((ReduceLoad) c.signals().getFirst()).kw())
        .containsExactly(100.0, 500.0);
  }

  @Test
  void aDeletedEventIsAnnouncedAsCancelled() {
    VenClient ven = start(config());
    Event event = vtn.createEvent(simpleEvent(2));
    ven.pollNow();

    vtn.deleteEvent(event.id());
    ven.pollNow();
    ven.pollNow();

    assertThat(listener.callsFor(event.id())).hasSize(2);
    GridSignal last = listener.callsFor(event.id()).getLast().signals().getFirst();
    assertThat(last).isInstanceOf(EventCancelled.class);
    assertThat(((EventCancelled) last).reason()).isEqualTo(EventCancelled.Reason.DELETED);
  }

  @Test
  void scheduledPollingPicksUpANewEvent() {
    start(config().withPollInterval(Duration.ofMillis(100)));

    Event event = vtn.createEvent(simpleEvent(1));

    await().atMost(Duration.ofSeconds(5)).until(() -> !listener.callsFor(event.id()).isEmpty());
  }

  @Test
  void webhookNotificationsArriveBeforeTheNextPoll() {
    VenClient ven =
        start(
            config()
                .withPollInterval(Duration.ofHours(1))
                .withWebhook(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
    assertThat(vtn.subscriptions())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.programID()).isEqualTo(program.id());
              assertThat(s.clientID()).isEqualTo("ven-site-a");
              assertThat(s.objectOperations().getFirst().callbackUrl())
                  .startsWith("http://127.0.0.1:");
            });

    Event event = vtn.createEvent(simpleEvent(2));
    await().atMost(Duration.ofSeconds(5)).until(() -> listener.callsFor(event.id()).size() == 1);
    vtn.updateEvent(event.id(), simpleEvent(3));
    await().atMost(Duration.ofSeconds(5)).until(() -> listener.callsFor(event.id()).size() == 2);
    vtn.deleteEvent(event.id());
    await().atMost(Duration.ofSeconds(5)).until(() -> listener.callsFor(event.id()).size() == 3);

    ven.pollNow(); // the poll agrees with what the webhook said: nothing new
    assertThat(listener.callsFor(event.id())).hasSize(3);
    assertThat(listener.callsFor(event.id()).getLast().signals().getFirst())
        .isInstanceOf(EventCancelled.class);
    ven.close();
    assertThat(vtn.subscriptions()).isEmpty();
  }

  @Test
  void postsAUsageReportWithUsageBaselineAndDeltaThatTheVtnStores() {
    VenClient ven = start(config());
    Event event = vtn.createEvent(simpleEvent(2));

    Report posted =
        ven.postUsageReport(
            event.id(),
            List.of(
                new UsageInterval(0, SOON, Duration.ofMinutes(15), 1200, 1450),
                new UsageInterval(
                    1, SOON.plus(Duration.ofMinutes(15)), Duration.ofMinutes(15), 1190, 1440)));

    assertThat(vtn.reports())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.id()).isEqualTo(posted.id());
              assertThat(r.eventID()).isEqualTo(event.id());
              assertThat(r.clientName()).isEqualTo("site-a");
              assertThat(r.clientID()).isEqualTo("ven-site-a");
              assertThat(r.payloadDescriptors())
                  .extracting(ReportPayloadDescriptor::payloadType, ReportPayloadDescriptor::units)
                  .containsExactly(
                      org.assertj.core.groups.Tuple.tuple("USAGE", "KW"),
                      org.assertj.core.groups.Tuple.tuple("BASELINE", "KW"),
                      org.assertj.core.groups.Tuple.tuple("DELTA_USAGE", "KW"));
              assertThat(r.resources())
                  .singleElement()
                  .satisfies(
                      resource -> {
                        assertThat(resource.resourceName()).isEqualTo("AGGREGATED_REPORT");
                        assertThat(resource.intervals())
                            .extracting(Interval::id)
                            .containsExactly(0, 1);
                        Interval first = resource.intervals().getFirst();
                        assertThat(first.intervalPeriod())
                            .isEqualTo(IntervalPeriod.of(SOON.toString(), "PT15M"));
                        assertThat(first.payloads())
                            .containsExactly(
                                ValuesMap.of("USAGE", 1200.0),
                                ValuesMap.of("BASELINE", 1450.0),
                                ValuesMap.of("DELTA_USAGE", -250.0));
                      });
            });
  }

  @Test
  void pagesThroughMoreEventsThanTheVtnReturnsAtOnce() {
    VenClient ven = start(config());
    for (int i = 0; i < 55; i++) {
      vtn.createEvent(simpleEvent(1));
    }

    ven.pollNow();

    assertThat(listener.calls()).hasSize(55);
  }

  @Test
  void aWrongSecretIsRefusedWith401AndTheVtnsProblemDetail() {
    VenConfig wrong =
        VenConfig.of(vtn.baseUrl(), "ven-site-a", "guess", "site-a", PROGRAM, levels());
    VenClient ven = new VenClient(wrong, listener);
    clients.add(ven);

    assertThatThrownBy(ven::start)
        .isInstanceOfSatisfying(
            VtnException.class,
            e -> {
              assertThat(e.status()).isEqualTo(401);
              assertThat(e.problem().detail()).contains("invalid_client");
              assertThat(e.getMessage()).contains("/auth/token").contains("401");
            });
    assertThat(vtn.vens()).isEmpty();
  }

  @Test
  void theTokenIsReusedUntilItExpiresAndRenewedWhenRevoked() {
    MutableClock clock = new MutableClock();
    VenClient ven = new VenClient(config(), listener, clock);
    clients.add(ven);
    ven.start();
    ven.pollNow();
    assertThat(tokenRequests()).isEqualTo(1);

    vtn.revokeTokens(); // the next request gets a 401, renews and retries
    ven.pollNow();
    assertThat(tokenRequests()).isEqualTo(2);

    clock.advance(Duration.ofHours(2)); // past expires_in: renewed before asking
    ven.pollNow();
    assertThat(tokenRequests()).isEqualTo(3);
  }

  @Test
  void vtnErrorsCarryTheStatusAndProblemDetail() {
    VenClient ven = start(config());

    assertThatThrownBy(() -> ven.postUsageReport("event-404", List.of()))
        .isInstanceOfSatisfying(
            VtnException.class,
            e -> {
              assertThat(e.status()).isEqualTo(409);
              assertThat(e.problem().detail()).contains("event-404");
            });
  }

  @Test
  void anUnknownProgramNameStopsTheStart() {
    VenClient ven = new VenClient(config().withProgramNames(List.of("no-such-program")), listener);
    clients.add(ven);

    assertThatThrownBy(ven::start).hasMessageContaining("no-such-program");
  }

  private VenConfig config() {
    return VenConfig.of(vtn.baseUrl(), "ven-site-a", "s3cret", "site-a", PROGRAM, levels())
        .withPollInterval(Duration.ofHours(1))
        .withRequestTimeout(Duration.ofSeconds(5));
  }

  private static SimpleLevels levels() {
    return new SimpleLevels(100, 250, 500);
  }

  private VenClient start(VenConfig config) {
    VenClient ven = new VenClient(config, listener);
    clients.add(ven);
    ven.start();
    return ven;
  }

  private Event simpleEvent(int level) {
    return Event.request(
        program.id(),
        "shed",
        null,
        List.of(EventPayloadDescriptor.of("SIMPLE", null, null)),
        IntervalPeriod.of(SOON.toString(), "PT30M"),
        List.of(new Interval(0, null, List.of(ValuesMap.of("SIMPLE", level)))));
  }

  private <T extends GridSignal> T only(Event event, Class<T> type) {
    List<RecordingListener.Call> calls = listener.callsFor(event.id());
    assertThat(calls).hasSize(1);
    assertThat(calls.getFirst().signals()).singleElement().isInstanceOf(type);
    return type.cast(calls.getFirst().signals().getFirst());
  }

  private long tokenRequests() {
    return vtn.receivedRequests().stream()
        .filter(r -> r.route().path().equals("/auth/token"))
        .count();
  }

  /** A clock the test moves forward, to pass token expiry without waiting. */
  private static final class MutableClock extends Clock {
    private volatile Instant now = Instant.now();

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
