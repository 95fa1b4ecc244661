package io.flexrig.controller.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Timestamp;
import io.flexrig.controller.ControllerConfig;
import io.flexrig.controller.FleetController;
import io.flexrig.proto.v1.CancelCurtailmentEventRequest;
import io.flexrig.proto.v1.Command;
import io.flexrig.proto.v1.CreateCurtailmentEventRequest;
import io.flexrig.proto.v1.CurtailmentEvent;
import io.flexrig.proto.v1.CurtailmentMethod;
import io.flexrig.proto.v1.EventState;
import io.flexrig.proto.v1.EventStatus;
import io.flexrig.proto.v1.GetEventStatusRequest;
import io.flexrig.proto.v1.GetSiteStatusRequest;
import io.flexrig.proto.v1.GridServiceGrpc;
import io.flexrig.proto.v1.ListCurtailmentEventsRequest;
import io.flexrig.proto.v1.SiteStatus;
import io.flexrig.proto.v1.WatchEventRequest;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
class GridServiceTest {

  private static final String SITE = "site-1";

  @TempDir Path dir;
  private Path db;
  private FleetController controller;
  private ManagedChannel channel;
  private GridServiceGrpc.GridServiceBlockingStub grid;
  private final List<ScriptedAgent> agents = new ArrayList<>();

  @BeforeEach
  void start() {
    db = dir.resolve("controller.db");
    startController();
  }

  private void startController() {
    controller =
        new FleetController(
                new ControllerConfig(0, db, true, Duration.ofMillis(200), Clock.systemUTC()))
            .start();
    channel =
        Grpc.newChannelBuilderForAddress(
                "127.0.0.1", controller.port(), InsecureChannelCredentials.create())
            .build();
    grid = GridServiceGrpc.newBlockingStub(channel);
  }

  private void stopController() throws InterruptedException {
    channel.shutdownNow();
    channel.awaitTermination(5, TimeUnit.SECONDS);
    controller.close();
  }

  @AfterEach
  void stop() throws InterruptedException {
    for (ScriptedAgent agent : agents) {
      agent.close();
    }
    stopController();
  }

  private GridServiceGrpc.GridServiceBlockingStub grid() {
    return grid.withDeadlineAfter(5, TimeUnit.SECONDS);
  }

  /** Three ASIC miners of different efficiency and a GPU rig: 11.75 kW at full load. */
  private void fleetOfFour() {
    connectFleetOfFour();
    await()
        .atMost(Duration.ofSeconds(5))
        .ignoreExceptions() // NOT_FOUND until the first hello is in
        .until(() -> Math.abs(siteStatus().getMeasuredKw() - 11.75) < 1e-9);
  }

  private void connectFleetOfFour() {
    asic("s19jpro", 3000, 29.5, 2000);
    asic("s19xp", 3250, 21.5, 2300);
    asic("s21", 3500, 17.5, 2500);
    ScriptedAgent gpu = new ScriptedAgent(controller.port(), "gpu", 2000, 150);
    agents.add(gpu);
    var hello = ScriptedAgent.asicHello("gpu", SITE, 2000, 1, 1000).toBuilder();
    hello.clearCapabilities();
    hello.addCapabilities(
        io.flexrig.proto.v1.Capability.newBuilder()
            .setMethod(CurtailmentMethod.CURTAILMENT_METHOD_GPU_POWER_LIMIT)
            .setMinPowerW(1000)
            .setMaxPowerW(2400)
            .setLatencyS(0.5));
    hello.setNameplate(hello.getNameplate().toBuilder().setEfficiencyJPerTh(0));
    gpu.hello(hello.build());
    gpu.streamTelemetry(200);
  }

  private ScriptedAgent asic(String rigId, double normalW, double jPerTh, double minW) {
    ScriptedAgent agent = new ScriptedAgent(controller.port(), rigId, normalW, 20);
    agents.add(agent);
    agent.hello(ScriptedAgent.asicHello(rigId, SITE, normalW, jPerTh, minW));
    agent.streamTelemetry(200);
    return agent;
  }

  private SiteStatus siteStatus() {
    return grid().getSiteStatus(GetSiteStatusRequest.newBuilder().setSiteId(SITE).build());
  }

  private static Timestamp at(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }

  private static CreateCurtailmentEventRequest.Builder valid() {
    Instant now = Instant.now();
    return CreateCurtailmentEventRequest.newBuilder()
        .setSiteId(SITE)
        .setRequestId("req-" + System.nanoTime())
        .setReduceByKw(2)
        .setStartAt(at(now.plusSeconds(60)))
        .setResponseTimeS(600)
        .setEndAt(at(now.plusSeconds(3600)))
        .setProgram("test");
  }

  private static double setpointW(ScriptedAgent agent) {
    double power = agent.normalW;
    for (Command c : agent.commands) {
      power =
          switch (c.getActionCase()) {
            case SET_POWER_TARGET -> Math.min(agent.normalW, c.getSetPowerTarget().getPowerW());
            case SLEEP -> agent.sleepW;
            default -> agent.normalW;
          };
    }
    return power;
  }

  @Test
  void aReduceByEventCurtailsTheFleetMeetsItsDeadlineAndReleasesAtTheEnd() throws Exception {
    fleetOfFour();
    Instant start = Instant.now();
    CurtailmentEvent event =
        grid()
            .createCurtailmentEvent(
                CreateCurtailmentEventRequest.newBuilder()
                    .setSiteId(SITE)
                    .setRequestId("ercot-ers-42")
                    .setReduceByKw(2)
                    .setResponseTimeS(3)
                    .setEndAt(at(start.plusSeconds(5)))
                    .setProgram("ERS-10")
                    .build());
    List<EventStatus> watched = new CopyOnWriteArrayList<>();
    CompletableFuture<Status> watchEnded = new CompletableFuture<>();
    GridServiceGrpc.newStub(channel)
        .watchEvent(
            WatchEventRequest.newBuilder().setEventId(event.getEventId()).build(),
            new StreamObserver<>() {
              @Override
              public void onNext(EventStatus s) {
                watched.add(s);
              }

              @Override
              public void onError(Throwable t) {
                watchEnded.complete(Status.fromThrowable(t));
              }

              @Override
              public void onCompleted() {
                watchEnded.complete(Status.OK);
              }
            });

    // The agents receive setpoints whose sum keeps the site at or below 11.75 - 2 = 9.75 kW.
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> agents.stream().mapToDouble(GridServiceTest::setpointW).sum() <= 9750);
    assertThat(agents.stream().flatMap(a -> a.commands.stream()).map(Command::getActionCase))
        .containsOnly(Command.ActionCase.SET_POWER_TARGET);
    ScriptedAgent worst = agents.get(0);
    assertThat(worst.commands.get(0).getSetPowerTarget().getPowerW()).isEqualTo(2000);
    assertThat(worst.commands.get(0).getEventId()).isEqualTo(event.getEventId());
    assertThat(agents.get(3).commands).as("the GPU rig has unknown J/TH and goes last").isEmpty();

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> watched.stream().anyMatch(s -> s.getTargetMet() && s.getDeadlineMet()));
    EventStatus met = watched.stream().filter(EventStatus::getTargetMet).findFirst().orElseThrow();
    assertThat(met.getBaselineKw()).isCloseTo(11.75, within(1e-9));
    assertThat(met.getTargetKw()).isCloseTo(9.75, within(1e-9));
    assertThat(met.getMeasuredKw()).isLessThanOrEqualTo(9.75);
    assertThat(met.getRigsCurtailed()).isEqualTo(3);
    assertThat(met.getEvent().getState()).isEqualTo(EventState.EVENT_STATE_ACTIVE);
    SiteStatus during = siteStatus();
    assertThat(during.getActiveEventId()).isEqualTo(event.getEventId());
    assertThat(during.getRigsCurtailed()).isEqualTo(3);
    assertThat(during.getRigsConnected()).isEqualTo(4);
    assertThat(during.getNameplateKw()).isCloseTo(11.75, within(1e-9));

    // At the end every curtailed rig gets a Release, and the watch completes.
    assertThat(watchEnded.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
    assertThat(watched.get(watched.size() - 1).getEvent().getState())
        .isEqualTo(EventState.EVENT_STATE_COMPLETED);
    // Besides the changes, a status every second while the event was active (5 s).
    assertThat(
            watched.stream()
                .filter(s -> s.getEvent().getState() == EventState.EVENT_STATE_ACTIVE)
                .count())
        .isGreaterThanOrEqualTo(4);
    await()
        .atMost(Duration.ofSeconds(6))
        .until(
            () ->
                agents.subList(0, 3).stream()
                    .allMatch(
                        a ->
                            a.commands.get(a.commands.size() - 1).getActionCase()
                                == Command.ActionCase.RELEASE));
    EventStatus after =
        grid()
            .getEventStatus(
                GetEventStatusRequest.newBuilder().setEventId(event.getEventId()).build());
    assertThat(after.getEvent().getState()).isEqualTo(EventState.EVENT_STATE_COMPLETED);
    assertThat(after.getDeadlineMet()).isTrue();
    assertThat(after.hasTargetMetAt()).isTrue();
    assertThat(after.getRigsCurtailed()).isZero();
  }

  @Test
  void aCapThatPowerTargetsCannotReachPutsTheWorstRigToSleep() throws Exception {
    fleetOfFour();
    // Minimum power targets sum to 7.8 kW; a 7 kW cap needs a sleep.
    CurtailmentEvent event =
        grid()
            .createCurtailmentEvent(
                CreateCurtailmentEventRequest.newBuilder()
                    .setSiteId(SITE)
                    .setRequestId("cap-7")
                    .setCapSiteKw(7)
                    .setResponseTimeS(3)
                    .setEndAt(at(Instant.now().plusSeconds(30)))
                    .build());

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> agents.stream().mapToDouble(GridServiceTest::setpointW).sum() <= 7000);
    assertThat(agents.get(0).commands)
        .extracting(Command::getActionCase)
        .contains(Command.ActionCase.SLEEP);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                grid()
                    .getEventStatus(
                        GetEventStatusRequest.newBuilder().setEventId(event.getEventId()).build())
                    .getTargetMet());

    CurtailmentEvent cancelled =
        grid()
            .cancelCurtailmentEvent(
                CancelCurtailmentEventRequest.newBuilder().setEventId(event.getEventId()).build());

    assertThat(cancelled.getState()).isEqualTo(EventState.EVENT_STATE_CANCELLED);
    await()
        .atMost(Duration.ofSeconds(6))
        .until(
            () ->
                agents.subList(0, 3).stream()
                    .filter(a -> !a.commands.isEmpty())
                    .allMatch(
                        a ->
                            a.commands.get(a.commands.size() - 1).getActionCase()
                                == Command.ActionCase.RELEASE));
  }

  @Test
  void theClosedLoopSleepsARigThatIgnoresItsPowerTarget() {
    ScriptedAgent stubborn = asic("s19jpro", 3000, 29.5, 2000);
    stubborn.ignoresPowerTargets = true;
    asic("s21", 3500, 17.5, 2500);
    await()
        .atMost(Duration.ofSeconds(5))
        .ignoreExceptions()
        .until(() -> Math.abs(siteStatus().getMeasuredKw() - 6.5) < 1e-9);

    CurtailmentEvent event =
        grid()
            .createCurtailmentEvent(
                CreateCurtailmentEventRequest.newBuilder()
                    .setSiteId(SITE)
                    .setRequestId("cap-5.5")
                    .setCapSiteKw(5.5)
                    .setResponseTimeS(10)
                    .setEndAt(at(Instant.now().plusSeconds(30)))
                    .build());

    // First round: power targets only. The stubborn rig keeps drawing 3 kW, so once the knob's
    // latency has passed the loop sleeps it.
    await()
        .atMost(Duration.ofSeconds(8))
        .until(
            () ->
                stubborn.commands.stream()
                    .anyMatch(c -> c.getActionCase() == Command.ActionCase.SLEEP));
    assertThat(stubborn.commands.get(0).getActionCase())
        .isEqualTo(Command.ActionCase.SET_POWER_TARGET);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                grid()
                    .getEventStatus(
                        GetEventStatusRequest.newBuilder().setEventId(event.getEventId()).build())
                    .getDeadlineMet());
  }

  @Test
  void anActiveEventResumesAfterARestartAndReleasesEveryRigOfTheSiteWhenCancelled()
      throws Exception {
    fleetOfFour();
    CurtailmentEvent event =
        grid()
            .createCurtailmentEvent(
                CreateCurtailmentEventRequest.newBuilder()
                    .setSiteId(SITE)
                    .setRequestId("restart")
                    .setReduceByKw(2)
                    .setResponseTimeS(3)
                    .setEndAt(at(Instant.now().plusSeconds(60)))
                    .build());
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> agents.stream().mapToDouble(GridServiceTest::setpointW).sum() <= 9750);
    for (ScriptedAgent agent : agents) {
      agent.close();
    }
    agents.clear();
    stopController();

    startController();
    // The agents come back at full load (these scripted ones forget their commands).
    connectFleetOfFour();

    EventStatus resumed =
        grid()
            .getEventStatus(
                GetEventStatusRequest.newBuilder().setEventId(event.getEventId()).build());
    assertThat(resumed.getEvent().getState()).isEqualTo(EventState.EVENT_STATE_ACTIVE);
    assertThat(resumed.getTargetKw()).isCloseTo(9.75, within(1e-9));
    // The closed loop sees the site over its target and dispatches again.
    await()
        .atMost(Duration.ofSeconds(6))
        .until(() -> agents.stream().mapToDouble(GridServiceTest::setpointW).sum() <= 9750);

    grid()
        .cancelCurtailmentEvent(
            CancelCurtailmentEventRequest.newBuilder().setEventId(event.getEventId()).build());

    // After a restart the controller cannot know who held a command before: all rigs release.
    await()
        .atMost(Duration.ofSeconds(6))
        .until(
            () ->
                agents.stream()
                    .allMatch(
                        a ->
                            !a.commands.isEmpty()
                                && a.commands.get(a.commands.size() - 1).getActionCase()
                                    == Command.ActionCase.RELEASE));
  }

  @Test
  void malformedRequestsAreRejectedAsInvalidAndChangeNothing() {
    fleetOfFour();
    Instant now = Instant.now();
    Map<String, UnaryOperator<CreateCurtailmentEventRequest.Builder>> cases =
        Map.of(
            "unknown site", b -> b.setSiteId("nowhere"),
            "reduce_by_kw", b -> b.setReduceByKw(0),
            "cap_site_kw", b -> b.setCapSiteKw(-5),
            "one of reduce_by_kw or cap_site_kw", b -> b.clearTarget(),
            "end_at", b -> b.setEndAt(b.getStartAt()),
            "in the past", b -> b.setStartAt(at(now.minusSeconds(60))),
            "response_time_s must be > 0", b -> b.setResponseTimeS(0),
            "at most 3600", b -> b.setResponseTimeS(3601),
            "request_id", b -> b.clearRequestId(),
            "end_at is required", b -> b.clearEndAt());
    cases.forEach(
        (reason, breakIt) ->
            assertThatThrownBy(() -> grid().createCurtailmentEvent(breakIt.apply(valid()).build()))
                .as(reason)
                .isInstanceOfSatisfying(
                    StatusRuntimeException.class,
                    e -> {
                      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                      assertThat(e.getStatus().getDescription()).contains(reason);
                    }));

    assertThat(
            grid()
                .listCurtailmentEvents(
                    ListCurtailmentEventsRequest.newBuilder().setSiteId(SITE).build())
                .getEventsList())
        .isEmpty();
    assertThatThrownBy(
            () -> grid().listCurtailmentEvents(ListCurtailmentEventsRequest.getDefaultInstance()))
        .hasMessageContaining("INVALID_ARGUMENT");
    assertThatThrownBy(() -> grid().getSiteStatus(GetSiteStatusRequest.getDefaultInstance()))
        .hasMessageContaining("INVALID_ARGUMENT");
  }

  @Test
  void anUnknownEventIsNotFound() {
    GetEventStatusRequest status = GetEventStatusRequest.newBuilder().setEventId("nope").build();
    CancelCurtailmentEventRequest cancel =
        CancelCurtailmentEventRequest.newBuilder().setEventId("nope").build();
    WatchEventRequest watch = WatchEventRequest.newBuilder().setEventId("nope").build();

    assertThatThrownBy(() -> grid().getEventStatus(status)).hasMessageContaining("NOT_FOUND");
    assertThatThrownBy(() -> grid().cancelCurtailmentEvent(cancel))
        .hasMessageContaining("NOT_FOUND");
    assertThatThrownBy(() -> grid().watchEvent(watch).hasNext()).hasMessageContaining("NOT_FOUND");
  }

  @Test
  void aRepeatedRequestIdReturnsTheEventAlreadyCreated() {
    fleetOfFour();
    CreateCurtailmentEventRequest request = valid().setRequestId("same").build();

    CurtailmentEvent first = grid().createCurtailmentEvent(request);
    CurtailmentEvent again =
        grid().createCurtailmentEvent(request.toBuilder().setReduceByKw(5).build());

    assertThat(again).isEqualTo(first);
    assertThat(first.getState()).isEqualTo(EventState.EVENT_STATE_SCHEDULED);
    assertThat(first.getDeadline().getSeconds()).isEqualTo(first.getStartAt().getSeconds() + 600);
  }

  @Test
  void anOverlappingEventIsRejected() {
    fleetOfFour();
    grid().createCurtailmentEvent(valid().build());

    assertThatThrownBy(() -> grid().createCurtailmentEvent(valid().build()))
        .hasMessageContaining("INVALID_ARGUMENT")
        .hasMessageContaining("overlaps");
  }

  @Test
  void scheduledEventsSurviveAControllerRestart() throws Exception {
    fleetOfFour();
    CurtailmentEvent event = grid().createCurtailmentEvent(valid().build());
    for (ScriptedAgent agent : agents) {
      agent.close();
    }
    agents.clear();
    stopController();

    startController();

    List<CurtailmentEvent> listed =
        grid()
            .listCurtailmentEvents(
                ListCurtailmentEventsRequest.newBuilder().setSiteId(SITE).build())
            .getEventsList();
    assertThat(listed).containsExactly(event);
    assertThat(siteStatus().getRigsKnown()).isEqualTo(4);
    assertThat(siteStatus().getRigsConnected()).isZero();
    CurtailmentEvent cancelled =
        grid()
            .cancelCurtailmentEvent(
                CancelCurtailmentEventRequest.newBuilder().setEventId(event.getEventId()).build());
    assertThat(cancelled.getState()).isEqualTo(EventState.EVENT_STATE_CANCELLED);
    // A finished event's watch sends its last status and completes.
    var statuses =
        grid().watchEvent(WatchEventRequest.newBuilder().setEventId(event.getEventId()).build());
    assertThat(statuses.next().getEvent().getState()).isEqualTo(EventState.EVENT_STATE_CANCELLED);
    assertThat(statuses.hasNext()).isFalse();
  }
}
