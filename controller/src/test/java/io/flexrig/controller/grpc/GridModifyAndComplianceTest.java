package io.flexrig.controller.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Timestamp;
import io.flexrig.controller.ControllerConfig;
import io.flexrig.controller.FleetController;
import io.flexrig.proto.v1.BaselineMethod;
import io.flexrig.proto.v1.CancelCurtailmentEventRequest;
import io.flexrig.proto.v1.Command;
import io.flexrig.proto.v1.ComplianceReport;
import io.flexrig.proto.v1.CreateCurtailmentEventRequest;
import io.flexrig.proto.v1.CurtailmentEvent;
import io.flexrig.proto.v1.EventState;
import io.flexrig.proto.v1.EventStatus;
import io.flexrig.proto.v1.GetComplianceReportRequest;
import io.flexrig.proto.v1.GetEventStatusRequest;
import io.flexrig.proto.v1.GetSiteStatusRequest;
import io.flexrig.proto.v1.GridServiceGrpc;
import io.flexrig.proto.v1.ModifyCurtailmentEventRequest;
import io.flexrig.proto.v1.SetpointKind;
import io.flexrig.proto.v1.SetpointSchedule;
import io.flexrig.proto.v1.SetpointStep;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
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

/** ModifyCurtailmentEvent, setpoint schedules and GetComplianceReport over a real socket. */
@Tag("integration")
class GridModifyAndComplianceTest {

  private static final String SITE = "site-1";

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
                    Clock.systemUTC()))
            .start();
    channel =
        Grpc.newChannelBuilderForAddress(
                "127.0.0.1", controller.port(), InsecureChannelCredentials.create())
            .build();
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

  private GridServiceGrpc.GridServiceBlockingStub grid() {
    return GridServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
  }

  /** Three ASIC miners: 9.75 kW at full load, 6.8 kW at their lowest power targets. */
  private void fleetOfThree() {
    asic("s19jpro", 3000, 29.5, 2000);
    asic("s19xp", 3250, 21.5, 2300);
    asic("s21", 3500, 17.5, 2500);
    await()
        .atMost(Duration.ofSeconds(5))
        .ignoreExceptions()
        .until(
            () ->
                Math.abs(
                        grid()
                                .getSiteStatus(
                                    GetSiteStatusRequest.newBuilder().setSiteId(SITE).build())
                                .getMeasuredKw()
                            - 9.75)
                    < 1e-9);
  }

  private void asic(String rigId, double normalW, double jPerTh, double minW) {
    ScriptedAgent agent = new ScriptedAgent(controller.port(), rigId, normalW, 20);
    agents.add(agent);
    agent.hello(ScriptedAgent.asicHello(rigId, SITE, normalW, jPerTh, minW));
    agent.streamTelemetry(200);
  }

  private double setpointsW() {
    double sum = 0;
    for (ScriptedAgent agent : agents) {
      double power = agent.normalW;
      for (Command c : agent.commands) {
        power =
            switch (c.getActionCase()) {
              case SET_POWER_TARGET -> Math.min(agent.normalW, c.getSetPowerTarget().getPowerW());
              case SLEEP -> agent.sleepW;
              default -> agent.normalW;
            };
      }
      sum += power;
    }
    return sum;
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

  private CurtailmentEvent reduceByOne(Duration length) {
    return grid()
        .createCurtailmentEvent(
            CreateCurtailmentEventRequest.newBuilder()
                .setSiteId(SITE)
                .setRequestId("req-" + System.nanoTime())
                .setReduceByKw(1)
                .setResponseTimeS(3)
                .setEndAt(at(Instant.now().plus(length)))
                .build());
  }

  @Test
  void aLowerTargetOnAnActiveEventIsDispatchedAtOnceAndAudited() throws Exception {
    fleetOfThree();
    CurtailmentEvent event = reduceByOne(Duration.ofSeconds(60));
    await().atMost(Duration.ofSeconds(5)).until(() -> status(event.getEventId()).getTargetMet());
    assertThat(setpointsW()).isGreaterThan(7500);

    CurtailmentEvent modified =
        grid()
            .modifyCurtailmentEvent(
                ModifyCurtailmentEventRequest.newBuilder()
                    .setEventId(event.getEventId())
                    .setCapSiteKw(7.5)
                    .setReason("revision 2")
                    .build());

    assertThat(modified.getCapSiteKw()).isEqualTo(7.5);
    assertThat(modified.getState()).isEqualTo(EventState.EVENT_STATE_ACTIVE);
    await().atMost(Duration.ofSeconds(5)).until(() -> setpointsW() <= 7500);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> status(event.getEventId()).getMeasuredKw() <= 7.5);
    EventStatus s = status(event.getEventId());
    assertThat(s.getTargetKw()).isCloseTo(7.5, within(1e-9));
    assertThat(s.getBaselineKw())
        .as("the baseline stays the one measured at the start")
        .isCloseTo(9.75, within(1e-9));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> audit("ModifyCurtailmentEvent").contains("OK"));
  }

  @Test
  void aLaterEndKeepsTheEventRunningAndAFinishedEventCannotBeModified() {
    fleetOfThree();
    CurtailmentEvent event = reduceByOne(Duration.ofSeconds(2));
    Instant later = Instant.now().plusSeconds(4);

    CurtailmentEvent modified =
        grid()
            .modifyCurtailmentEvent(
                ModifyCurtailmentEventRequest.newBuilder()
                    .setEventId(event.getEventId())
                    .setEndAt(at(later))
                    .build());

    assertThat(modified.getEndAt().getSeconds()).isEqualTo(later.getEpochSecond());
    assertThat(modified.getReduceByKw()).isEqualTo(1);
    // Past the original end, still active; then completed at the new one.
    await()
        .pollDelay(Duration.ofMillis(2500))
        .atMost(Duration.ofSeconds(3))
        .until(
            () ->
                status(event.getEventId()).getEvent().getState() == EventState.EVENT_STATE_ACTIVE);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                status(event.getEventId()).getEvent().getState()
                    == EventState.EVENT_STATE_COMPLETED);

    assertThatThrownBy(
            () ->
                grid()
                    .modifyCurtailmentEvent(
                        ModifyCurtailmentEventRequest.newBuilder()
                            .setEventId(event.getEventId())
                            .setCapSiteKw(5)
                            .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
  }

  @Test
  void malformedModificationsAreRejectedAsInvalidAndUnknownEventsAreNotFound() {
    fleetOfThree();
    CurtailmentEvent event = reduceByOne(Duration.ofSeconds(60));
    Instant now = Instant.now();
    List<ModifyCurtailmentEventRequest> malformed =
        List.of(
            ModifyCurtailmentEventRequest.newBuilder().setEventId(event.getEventId()).build(),
            ModifyCurtailmentEventRequest.newBuilder().setCapSiteKw(5).build(),
            ModifyCurtailmentEventRequest.newBuilder()
                .setEventId(event.getEventId())
                .setCapSiteKw(-5)
                .build(),
            ModifyCurtailmentEventRequest.newBuilder()
                .setEventId(event.getEventId())
                .setEndAt(at(now.minusSeconds(60)))
                .build(),
            ModifyCurtailmentEventRequest.newBuilder()
                .setEventId(event.getEventId())
                .setSetpointSchedule(
                    SetpointSchedule.newBuilder()
                        .setKind(SetpointKind.SETPOINT_KIND_CAP)
                        .addSteps(step(now.plusSeconds(10), 8))
                        .addSteps(step(now.plusSeconds(5), 7)))
                .build(),
            ModifyCurtailmentEventRequest.newBuilder()
                .setEventId(event.getEventId())
                .setSetpointSchedule(
                    SetpointSchedule.newBuilder().addSteps(step(now.plusSeconds(10), 8)))
                .build());
    for (ModifyCurtailmentEventRequest r : malformed) {
      assertThatThrownBy(() -> grid().modifyCurtailmentEvent(r))
          .as(r.toString())
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }
    assertThat(status(event.getEventId()).getEvent().getReduceByKw()).isEqualTo(1);
    assertThatThrownBy(
            () ->
                grid()
                    .modifyCurtailmentEvent(
                        ModifyCurtailmentEventRequest.newBuilder()
                            .setEventId("nope")
                            .setCapSiteKw(5)
                            .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
  }

  private static SetpointStep step(Instant start, double kw) {
    return SetpointStep.newBuilder().setStartAt(at(start)).setKw(kw).build();
  }

  @Test
  void aSetpointScheduleIsFollowedStepByStep() {
    fleetOfThree();
    Instant now = Instant.now();
    CurtailmentEvent event =
        grid()
            .createCurtailmentEvent(
                CreateCurtailmentEventRequest.newBuilder()
                    .setSiteId(SITE)
                    .setRequestId("schedule-1")
                    .setSetpointSchedule(
                        SetpointSchedule.newBuilder()
                            .setKind(SetpointKind.SETPOINT_KIND_CAP)
                            .addSteps(step(now, 8.5))
                            .addSteps(step(now.plusSeconds(3), 7.2)))
                    .setResponseTimeS(2)
                    .setEndAt(at(now.plusSeconds(30)))
                    .build());

    assertThat(event.getSetpointSchedule().getStepsList()).hasSize(2);
    await().atMost(Duration.ofSeconds(3)).until(() -> status(event.getEventId()).getTargetMet());
    assertThat(status(event.getEventId()).getTargetKw()).isCloseTo(8.5, within(1e-9));
    assertThat(setpointsW()).isGreaterThan(7200);

    await()
        .atMost(Duration.ofSeconds(6))
        .until(() -> status(event.getEventId()).getTargetKw() == 7.2);
    await().atMost(Duration.ofSeconds(5)).until(() -> setpointsW() <= 7200);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> status(event.getEventId()).getMeasuredKw() <= 7.2);
  }

  @Test
  void anEndedEventHasAFinalComplianceReportWithCsvAndChart() {
    fleetOfThree();
    // Some telemetry before the start for the pre-event average.
    await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
    CurtailmentEvent event = reduceByOne(Duration.ofSeconds(4));
    await().atMost(Duration.ofSeconds(5)).until(() -> status(event.getEventId()).getTargetMet());
    ComplianceReport provisional =
        grid()
            .getComplianceReport(
                GetComplianceReportRequest.newBuilder().setEventId(event.getEventId()).build());
    assertThat(provisional.getFinal()).isFalse();
    assertThat(provisional.getCsv()).isEmpty();
    await()
        .atMost(Duration.ofSeconds(8))
        .until(
            () ->
                status(event.getEventId()).getEvent().getState()
                    == EventState.EVENT_STATE_COMPLETED);

    ComplianceReport r =
        grid()
            .getComplianceReport(
                GetComplianceReportRequest.newBuilder()
                    .setEventId(event.getEventId())
                    .setIncludeCsv(true)
                    .setIncludeSvg(true)
                    .build());

    assertThat(r.getFinal()).isTrue();
    assertThat(r.getDeadlineMet()).isTrue();
    assertThat(r.getDeltaBaseline()).isEqualTo(BaselineMethod.BASELINE_METHOD_PRE_EVENT_AVERAGE);
    assertThat(r.getLikeDaysUsed()).isZero();
    assertThat(r.getPreEventBaselineKw()).isCloseTo(9.75, within(1e-6));
    assertThat(r.getIntervalsCount()).isBetween(1, 2);
    // Measured over the whole event, ramp included: below the baseline, above the bare target.
    assertThat(r.getMeasuredKw()).isLessThan(9.75).isGreaterThan(8.0);
    assertThat(r.getDeltaKw()).isCloseTo(9.75 - r.getMeasuredKw(), within(1e-6));
    assertThat(r.getRigsList()).hasSize(3);
    assertThat(r.getRigs(0).getShedKw()).isPositive();
    assertThat(r.getRigsList().stream().mapToDouble(x -> x.getShare()).sum())
        .isCloseTo(1.0, within(1e-6));
    assertThat(r.getCsv()).startsWith("event_id,interval_start,interval_end,");
    assertThat(r.getSvg()).startsWith("<svg").contains("measured").endsWith("</svg>\n");
    assertThat(r.getEvent().getEventId()).isEqualTo(event.getEventId());

    assertThatThrownBy(
            () ->
                grid()
                    .getComplianceReport(
                        GetComplianceReportRequest.newBuilder().setEventId("nope").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    grid()
        .cancelCurtailmentEvent(
            CancelCurtailmentEventRequest.newBuilder().setEventId(event.getEventId()).build());
  }

  /** The results of the audit entries of an action, oldest first. */
  private String audit(String action) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("controller.db"));
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT result FROM audit_log WHERE action = '"
                    + action
                    + "' ORDER BY occurred_at")) {
      StringBuilder out = new StringBuilder();
      while (rs.next()) {
        out.append(rs.getString(1)).append(' ');
      }
      return out.toString();
    }
  }
}
