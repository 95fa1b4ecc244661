package io.flexrig.controller.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flexrig.controller.ControllerConfig;
import io.flexrig.controller.FleetController;
import io.flexrig.proto.v1.AgentHello;
import io.flexrig.proto.v1.AgentMessage;
import io.flexrig.proto.v1.HelloAccepted;
import io.flexrig.proto.v1.TelemetryBatch;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
class FleetServiceTest {

  @TempDir Path dir;
  private Path db;
  private FleetController controller;
  private final List<ScriptedAgent> agents = new ArrayList<>();

  @BeforeEach
  void start() {
    db = dir.resolve("controller.db");
    controller = startController();
  }

  private FleetController startController() {
    return new FleetController(
            new ControllerConfig(0, db, true, Duration.ofMillis(250), Clock.systemUTC()))
        .start();
  }

  @AfterEach
  void stop() throws InterruptedException {
    for (ScriptedAgent agent : agents) {
      agent.close();
    }
    controller.close();
  }

  private ScriptedAgent agent(String rigId) {
    ScriptedAgent agent = new ScriptedAgent(controller.port(), rigId, 3000, 20);
    agents.add(agent);
    return agent;
  }

  private ScriptedAgent connected(String rigId) throws Exception {
    ScriptedAgent agent = agent(rigId);
    agent.hello(ScriptedAgent.asicHello(rigId, "site-1", 3000, 29.5, 2000));
    agent.helloAccepted.get(5, TimeUnit.SECONDS);
    return agent;
  }

  private long storedSamples(String rigId) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
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
  void helloIsAnsweredWithTheStoredSequenceAndTheTelemetryInterval() throws Exception {
    ScriptedAgent agent = agent("rig-1");
    agent.hello(ScriptedAgent.asicHello("rig-1", "site-1", 3000, 29.5, 2000));

    HelloAccepted accepted = agent.helloAccepted.get(5, TimeUnit.SECONDS);

    assertThat(accepted.getStoredThroughSequence()).isZero();
    assertThat(accepted.getTelemetryIntervalMs()).isEqualTo(250);
    assertThat(accepted.hasControllerTime()).isTrue();
  }

  @Test
  void telemetryIsAckedOnlyOnceItIsStored() throws Exception {
    ScriptedAgent agent = connected("rig-1");

    agent.sendSamples(1, 2, 3);

    await().atMost(Duration.ofSeconds(5)).until(() -> agent.ackedThrough.get() == 3);
    // The ack is sent after the commit, so the rows are there the moment it arrives.
    assertThat(storedSamples("rig-1")).isEqualTo(3);
  }

  @Test
  void aResentBatchIsStoredOnce() throws Exception {
    ScriptedAgent agent = connected("rig-1");
    agent.sendSamples(1, 2, 3, 4, 5);
    await().atMost(Duration.ofSeconds(5)).until(() -> agent.ackedThrough.get() == 5);

    agent.sendSamples(1, 2, 3, 4, 5);
    agent.sendSamples(4, 5, 6);

    await().atMost(Duration.ofSeconds(5)).until(() -> agent.ackedThrough.get() == 6);
    assertThat(storedSamples("rig-1")).isEqualTo(6);
  }

  @Test
  void aResentBatchIsAckedAgainSoTheAgentCanForgetIt() throws Exception {
    ScriptedAgent agent = connected("rig-1");
    agent.sendSamples(1, 2);
    await().atMost(Duration.ofSeconds(5)).until(() -> agent.ackedThrough.get() == 2);
    agent.ackedThrough.set(0);

    agent.sendSamples(1, 2);

    await().atMost(Duration.ofSeconds(5)).until(() -> agent.ackedThrough.get() == 2);
  }

  @Test
  void sequencesTheAgentNoLongerHasAreAckedPast() throws Exception {
    ScriptedAgent agent = connected("rig-1");
    agent.sendSamples(1, 2);
    agent.sendSamples(5, 6);

    await().atMost(Duration.ofSeconds(5)).until(() -> agent.ackedThrough.get() == 6);
    assertThat(storedSamples("rig-1")).isEqualTo(4);
  }

  @Test
  void afterARestartHelloTellsTheAgentWhatIsAlreadyStored() throws Exception {
    ScriptedAgent first = connected("rig-1");
    first.sendSamples(1, 2, 3, 4);
    await().atMost(Duration.ofSeconds(5)).until(() -> first.ackedThrough.get() == 4);
    first.close();
    controller.close();

    controller = startController();
    ScriptedAgent again = agent("rig-1");
    again.hello(ScriptedAgent.asicHello("rig-1", "site-1", 3000, 29.5, 2000));

    assertThat(again.helloAccepted.get(5, TimeUnit.SECONDS).getStoredThroughSequence())
        .isEqualTo(4);
  }

  @Test
  void aHelloWithoutRigIdIsRejectedAsInvalid() throws Exception {
    ScriptedAgent agent = agent("");
    agent.hello(ScriptedAgent.asicHello("", "site-1", 3000, 29.5, 2000));

    Status status = agent.closed.get(5, TimeUnit.SECONDS);

    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).contains("rig_id");
    assertThat(agent.helloAccepted).isNotDone();
  }

  @Test
  void aHelloWithoutProfileIsRejectedAsInvalid() throws Exception {
    ScriptedAgent agent = agent("rig-1");
    AgentHello hello = ScriptedAgent.asicHello("rig-1", "site-1", 3000, 29.5, 2000);
    agent.hello(
        hello.toBuilder().setRig(hello.getRig().toBuilder().clearHardwareProfileId()).build());

    Status status = agent.closed.get(5, TimeUnit.SECONDS);

    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).contains("hardware_profile_id");
  }

  @Test
  void aSessionThatDoesNotStartWithHelloIsRejectedAsInvalid() throws Exception {
    ScriptedAgent agent = agent("rig-1");
    agent.send(AgentMessage.newBuilder().setTelemetry(TelemetryBatch.getDefaultInstance()).build());

    Status status = agent.closed.get(5, TimeUnit.SECONDS);

    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).contains("AgentHello");
  }

  @Test
  void aSecondSessionOfTheSameRigReplacesTheFirst() throws Exception {
    ScriptedAgent first = connected("rig-1");
    ScriptedAgent second = connected("rig-1");

    assertThat(first.closed.get(5, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.ABORTED);
    second.sendSamples(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> second.ackedThrough.get() == 1);
    assertThat(controller.fleet().siteLoad("site-1").rigsConnected()).isEqualTo(1);
  }

  @Test
  void aClosedSessionMarksTheRigDisconnected() throws Exception {
    ScriptedAgent agent = connected("rig-1");
    assertThat(controller.fleet().rig("rig-1").orElseThrow().connected()).isTrue();

    agent.close();

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> !controller.fleet().rig("rig-1").orElseThrow().connected());
  }

  @Test
  void theHealthServiceReportsServing() throws InterruptedException {
    ManagedChannel channel =
        Grpc.newChannelBuilderForAddress(
                "127.0.0.1", controller.port(), InsecureChannelCredentials.create())
            .build();
    try {
      var health = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
      assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
          .isEqualTo(ServingStatus.SERVING);
      assertThat(
              health
                  .check(
                      HealthCheckRequest.newBuilder().setService("flexrig.v1.FleetService").build())
                  .getStatus())
          .isEqualTo(ServingStatus.SERVING);
    } finally {
      channel.shutdownNow();
      channel.awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
