package io.flexrig.controller.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Timestamp;
import io.flexrig.controller.ControllerConfig;
import io.flexrig.controller.FleetController;
import io.flexrig.proto.v1.Command;
import io.flexrig.proto.v1.CreateCurtailmentEventRequest;
import io.flexrig.proto.v1.CurtailmentEvent;
import io.flexrig.proto.v1.EventState;
import io.flexrig.proto.v1.EventStatus;
import io.flexrig.proto.v1.GetEventStatusRequest;
import io.flexrig.proto.v1.GetSiteStatusRequest;
import io.flexrig.proto.v1.GridServiceGrpc;
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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An event whose start passed while the controller was down waits, after the restart, for the
 * site's agents to reconnect; it then measures its baseline on the whole fleet and dispatches to
 * it. Real controller, real SQLite store, scripted agents over gRPC.
 */
@Tag("integration")
class EventDueWhileControllerWasDownTest {

  private static final String SITE = "site-1";

  @TempDir Path dir;
  private FleetController controller;
  private ManagedChannel channel;
  private final List<ScriptedAgent> agents = new ArrayList<>();

  private void startController() {
    controller =
        new FleetController(
                new ControllerConfig(
                    0,
                    dir.resolve("controller.db"),
                    true,
                    Duration.ofMillis(200),
                    Clock.systemUTC()))
            .start();
    channel =
        Grpc.newChannelBuilderForAddress(
                "127.0.0.1", controller.port(), InsecureChannelCredentials.create())
            .build();
  }

  private void stopController() throws InterruptedException {
    channel.shutdownNow();
    channel.awaitTermination(5, TimeUnit.SECONDS);
    controller.close();
  }

  @AfterEach
  void stop() throws InterruptedException {
    closeAgents();
    if (controller != null) {
      stopController();
    }
  }

  private void closeAgents() throws InterruptedException {
    for (ScriptedAgent agent : agents) {
      agent.close();
    }
    agents.clear();
  }

  private GridServiceGrpc.GridServiceBlockingStub grid() {
    return GridServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
  }

  /** Three ASIC miners, 9.75 kW at full load. */
  private void connectFleet() {
    for (String id : List.of("s19jpro", "s19xp", "s21")) {
      double normalW = id.equals("s21") ? 3500 : 3125;
      ScriptedAgent agent = new ScriptedAgent(controller.port(), id, normalW, 20);
      agents.add(agent);
      agent.hello(ScriptedAgent.asicHello(id, SITE, normalW, 25, 2000));
      agent.streamTelemetry(200);
    }
  }

  private double siteKw() {
    return grid()
        .getSiteStatus(GetSiteStatusRequest.newBuilder().setSiteId(SITE).build())
        .getMeasuredKw();
  }

  private EventStatus status(String eventId) {
    return grid().getEventStatus(GetEventStatusRequest.newBuilder().setEventId(eventId).build());
  }

  private static Timestamp at(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
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
  void anEventDueWhileTheControllerWasDownWaitsForTheAgentsAndThenDispatchesToThem()
      throws Exception {
    startController();
    connectFleet();
    await()
        .atMost(Duration.ofSeconds(5))
        .ignoreExceptions() // NOT_FOUND until the first hello is in
        .until(() -> Math.abs(siteKw() - 9.75) < 1e-9);
    Instant start = Instant.now().plusSeconds(2);
    CurtailmentEvent event =
        grid()
            .createCurtailmentEvent(
                CreateCurtailmentEventRequest.newBuilder()
                    .setSiteId(SITE)
                    .setRequestId("due-while-down")
                    .setReduceByKw(2)
                    .setStartAt(at(start))
                    .setResponseTimeS(60)
                    .setEndAt(at(start.plusSeconds(120)))
                    .setProgram("test")
                    .build());
    closeAgents();
    stopController();
    // The start passes while the controller is down.
    await()
        .pollDelay(Duration.ofMillis(100))
        .until(() -> Instant.now().isAfter(start.plusMillis(500)));

    startController();
    // Due, but the fleet is not back: the event waits instead of starting on an empty site.
    Thread.sleep(1500);
    EventStatus waiting = status(event.getEventId());
    assertThat(waiting.getEvent().getState()).isEqualTo(EventState.EVENT_STATE_SCHEDULED);
    assertThat(waiting.getRigsCurtailed()).isZero();
    // ... and says so: none of the three rigs back yet, and when it starts regardless.
    assertThat(waiting.hasAwaitingFleet()).isTrue();
    assertThat(waiting.getAwaitingFleet().getRigsBack()).isZero();
    assertThat(waiting.getAwaitingFleet().getRigsAwaited()).isEqualTo(3);
    assertThat(waiting.getAwaitingFleet().hasStartBy()).isTrue();
    assertThat(Instant.ofEpochSecond(waiting.getAwaitingFleet().getStartBy().getSeconds()))
        .isAfter(Instant.now());

    connectFleet();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                status(event.getEventId()).getEvent().getState() == EventState.EVENT_STATE_ACTIVE);
    EventStatus started = status(event.getEventId());
    assertThat(started.getBaselineKw()).isCloseTo(9.75, within(1e-9));
    assertThat(started.getTargetKw()).isCloseTo(7.75, within(1e-9));
    assertThat(started.hasAwaitingFleet()).isFalse();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                agents.stream().mapToDouble(EventDueWhileControllerWasDownTest::setpointW).sum()
                    <= 7750);
    assertThat(agents).anySatisfy(a -> assertThat(a.commands).isNotEmpty());
  }
}
