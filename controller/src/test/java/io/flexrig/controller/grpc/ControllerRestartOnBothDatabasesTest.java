package io.flexrig.controller.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Timestamp;
import io.flexrig.controller.ControllerConfig;
import io.flexrig.controller.FleetController;
import io.flexrig.controller.store.TestDatabase;
import io.flexrig.proto.v1.CreateCurtailmentEventRequest;
import io.flexrig.proto.v1.CurtailmentEvent;
import io.flexrig.proto.v1.GridServiceGrpc;
import io.flexrig.proto.v1.ListCurtailmentEventsRequest;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The whole controller (gRPC, sessions, events, store) on SQLite and on a real PostgreSQL server:
 * resent telemetry is stored once, and rigs, stored sequences and events survive restarts.
 */
@Tag("integration")
class ControllerRestartOnBothDatabasesTest {

  @TempDir Path dir;

  private static FleetController start(String url) {
    return new FleetController(
            new ControllerConfig(
                    0, Path.of("unused.db"), true, Duration.ofMillis(200), Clock.systemUTC())
                .withDatabaseUrl(url))
        .start();
  }

  private static long count(String url, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(url);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Timestamp at(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).build();
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void telemetryIsStoredExactlyOnceAndEventsSurviveRestarts(TestDatabase db) throws Exception {
    String url = db.newDatabaseUrl(dir);
    CurtailmentEvent created;
    try (FleetController controller = start(url)) {
      ScriptedAgent agent = new ScriptedAgent(controller.port(), "rig-1", 3000, 20);
      try {
        agent.hello(ScriptedAgent.asicHello("rig-1", "site-1", 3000, 29.5, 2000));
        assertThat(agent.helloAccepted.get(10, TimeUnit.SECONDS).getStoredThroughSequence())
            .isZero();
        agent.sendSamples(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        agent.sendSamples(5, 6, 7, 8, 9, 10, 11, 12); // a resend overlapping what is stored
        await().atMost(Duration.ofSeconds(10)).until(() -> agent.ackedThrough.get() == 12);
      } finally {
        agent.close();
      }
      ManagedChannel channel =
          Grpc.newChannelBuilderForAddress(
                  "127.0.0.1", controller.port(), InsecureChannelCredentials.create())
              .build();
      try {
        Instant start = Instant.now().plusSeconds(3600);
        created =
            GridServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(5, TimeUnit.SECONDS)
                .createCurtailmentEvent(
                    CreateCurtailmentEventRequest.newBuilder()
                        .setSiteId("site-1")
                        .setRequestId("req-restart")
                        .setReduceByKw(1)
                        .setStartAt(at(start))
                        .setResponseTimeS(600)
                        .setEndAt(at(start.plusSeconds(3600)))
                        .setProgram("test")
                        .build());
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }

    assertThat(count(url, "SELECT COUNT(*) FROM telemetry WHERE rig_id = 'rig-1'")).isEqualTo(12);

    try (FleetController controller = start(url)) {
      ScriptedAgent agent = new ScriptedAgent(controller.port(), "rig-1", 3000, 20);
      ManagedChannel channel =
          Grpc.newChannelBuilderForAddress(
                  "127.0.0.1", controller.port(), InsecureChannelCredentials.create())
              .build();
      try {
        agent.hello(ScriptedAgent.asicHello("rig-1", "site-1", 3000, 29.5, 2000));
        assertThat(agent.helloAccepted.get(10, TimeUnit.SECONDS).getStoredThroughSequence())
            .isEqualTo(12);
        assertThat(
                GridServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(5, TimeUnit.SECONDS)
                    .listCurtailmentEvents(
                        ListCurtailmentEventsRequest.newBuilder().setSiteId("site-1").build())
                    .getEventsList())
            .containsExactly(created);
      } finally {
        agent.close();
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
    assertThat(count(url, "SELECT COUNT(*) FROM audit_log WHERE action = 'CreateCurtailmentEvent'"))
        .isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void anEventAcceptedRightBeforeAShutdownStartsAfterTheRestartAndDispatchesTheRigs(TestDatabase db)
      throws Exception {
    String url = db.newDatabaseUrl(dir);
    Instant start = Instant.now().plusSeconds(5);
    CurtailmentEvent accepted;
    try (FleetController controller = start(url)) {
      // The rigs must be known to the site before an event can be created for it.
      for (String rig : new String[] {"rig-1", "rig-2"}) {
        ScriptedAgent a = new ScriptedAgent(controller.port(), rig, 3000, 20);
        try {
          a.hello(ScriptedAgent.asicHello(rig, "site-1", 3000, 29.5, 2000));
          a.helloAccepted.get(10, TimeUnit.SECONDS);
        } finally {
          a.close();
        }
      }
      ManagedChannel channel =
          Grpc.newChannelBuilderForAddress(
                  "127.0.0.1", controller.port(), InsecureChannelCredentials.create())
              .build();
      try {
        accepted =
            GridServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(5, TimeUnit.SECONDS)
                .createCurtailmentEvent(
                    CreateCurtailmentEventRequest.newBuilder()
                        .setSiteId("site-1")
                        .setRequestId("req-before-shutdown")
                        .setReduceByKw(2)
                        .setStartAt(at(start))
                        .setResponseTimeS(10)
                        .setEndAt(at(start.plusSeconds(600)))
                        .setProgram("test")
                        .build());
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    } // shut down right after the answer: "accepted" must mean stored

    try (FleetController controller = start(url)) {
      ScriptedAgent one = new ScriptedAgent(controller.port(), "rig-1", 3000, 20);
      ScriptedAgent two = new ScriptedAgent(controller.port(), "rig-2", 3000, 20);
      ManagedChannel channel =
          Grpc.newChannelBuilderForAddress(
                  "127.0.0.1", controller.port(), InsecureChannelCredentials.create())
              .build();
      try {
        for (ScriptedAgent a : new ScriptedAgent[] {one, two}) {
          a.hello(ScriptedAgent.asicHello(a.rigId, "site-1", 3000, 29.5, 2000));
          a.helloAccepted.get(10, TimeUnit.SECONDS);
          a.streamTelemetry(100);
        }
        var grid = GridServiceGrpc.newBlockingStub(channel);
        // The event starts at its time, measures the site (6 kW) and curtails it by 2 kW.
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> !one.commands.isEmpty() || !two.commands.isEmpty());
        var status =
            grid.withDeadlineAfter(5, TimeUnit.SECONDS)
                .getEventStatus(
                    io.flexrig.proto.v1.GetEventStatusRequest.newBuilder()
                        .setEventId(accepted.getEventId())
                        .build());
        assertThat(status.getEvent().getState())
            .isEqualTo(io.flexrig.proto.v1.EventState.EVENT_STATE_ACTIVE);
        assertThat(status.getBaselineKw())
            .isCloseTo(6, org.assertj.core.api.Assertions.within(0.01));
        assertThat(status.getTargetKw()).isCloseTo(4, org.assertj.core.api.Assertions.within(0.01));
        assertThat(
                java.util.stream.Stream.concat(one.commands.stream(), two.commands.stream())
                    .map(io.flexrig.proto.v1.Command::getEventId))
            .containsOnly(accepted.getEventId());
      } finally {
        one.close();
        two.close();
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }
}
