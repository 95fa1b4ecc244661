package io.flexrig.controller.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flexrig.controller.ControllerConfig;
import io.flexrig.controller.FleetController;
import io.flexrig.controller.GracefulShutdown;
import io.flexrig.proto.v1.Reconnect;
import io.grpc.Status;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping the controller: every agent is told where and when to reconnect, then drained. */
@Tag("integration")
class GracefulShutdownTest {

  @TempDir Path dir;
  private final List<ScriptedAgent> agents = new ArrayList<>();

  @AfterEach
  void closeAgents() throws InterruptedException {
    for (ScriptedAgent a : agents) {
      a.close();
    }
  }

  private FleetController start(GracefulShutdown shutdown) {
    return new FleetController(
            new ControllerConfig(
                    0, dir.resolve("c.db"), true, Duration.ofMillis(200), Clock.systemUTC())
                .withShutdown(shutdown))
        .start();
  }

  private ScriptedAgent connected(FleetController controller, String rigId) throws Exception {
    ScriptedAgent a = new ScriptedAgent(controller.port(), rigId, 3000, 20);
    agents.add(a);
    a.hello(ScriptedAgent.asicHello(rigId, "site-1", 3000, 29.5, 2000));
    a.helloAccepted.get(10, TimeUnit.SECONDS);
    return a;
  }

  private long stored(String rigId) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("c.db"));
        PreparedStatement ps =
            c.prepareStatement("SELECT COUNT(*) FROM telemetry WHERE rig_id = ?")) {
      ps.setString(1, rigId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  @Test
  void everyAgentIsToldWhereAndWhenToReconnectAndWhatItSentBeforeLeavingIsStored()
      throws Exception {
    FleetController controller =
        start(
            GracefulShutdown.DEFAULT
                .withAlternates(List.of("ctl-b.site.example:50051", "127.0.0.1:50052"))
                .withReconnect(Duration.ofMillis(1500), Duration.ofMillis(4000)));
    List<ScriptedAgent> fleet = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      ScriptedAgent a = connected(controller, "rig-" + i);
      a.streamTelemetry(10);
      fleet.add(a);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> fleet.get(2).ackedThrough.get() > 20);

    controller.close();

    for (ScriptedAgent a : fleet) {
      Reconnect r = a.reconnect.get(1, TimeUnit.SECONDS);
      assertThat(r.getEndpointsList())
          .containsExactly("ctl-b.site.example:50051", "127.0.0.1:50052");
      assertThat(r.getDelayMs()).isEqualTo(1500);
      assertThat(r.getJitterMs()).isEqualTo(4000);
      assertThat(r.getReason()).contains("shutting down");
      // The controller ended the stream after the agent left, not by cutting it.
      assertThat(a.closed.get(1, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
      assertThat(stored(a.rigId)).isEqualTo(a.streamedThrough()).isPositive();
    }
  }

  @Test
  void anAgentThatDoesNotLeaveIsCutWhenTheDrainTimeIsOver() throws Exception {
    FleetController controller = start(GracefulShutdown.DEFAULT.withDrain(Duration.ofMillis(300)));
    ScriptedAgent stays = connected(controller, "rig-old");
    stays.ignoresReconnect = true;
    ScriptedAgent leaves = connected(controller, "rig-new");

    controller.close();

    assertThat(stays.reconnect).isDone();
    assertThat(stays.closed.get(5, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(leaves.closed.get(5, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
  }

  @Test
  void withoutADrainTimeSessionsEndAtOnceWithoutAGoodbye() throws Exception {
    FleetController controller = start(GracefulShutdown.DEFAULT.withDrain(Duration.ZERO));
    ScriptedAgent a = connected(controller, "rig-1");

    controller.close();

    assertThat(a.closed.get(5, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(a.reconnect).isNotDone();
  }

  @Test
  void afterShutdownBeganNoNewAgentGetsIn() throws Exception {
    FleetController controller = start(GracefulShutdown.DEFAULT.withDrain(Duration.ofMillis(500)));
    ScriptedAgent stays = connected(controller, "rig-old");
    stays.ignoresReconnect = true;
    int port = controller.port();
    Thread closing = Thread.ofPlatform().start(controller::close);
    await().atMost(Duration.ofSeconds(5)).until(stays.reconnect::isDone);

    ScriptedAgent late = new ScriptedAgent(port, "rig-late", 3000, 20);
    agents.add(late);
    late.hello(ScriptedAgent.asicHello("rig-late", "site-1", 3000, 29.5, 2000));

    assertThat(late.closed.get(5, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(late.helloAccepted).isNotDone();
    closing.join(10_000);
  }
}
