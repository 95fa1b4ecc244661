package io.flexrig.agent.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.flexrig.agent.AgentConfig;
import io.flexrig.agent.RigAgent;
import io.flexrig.agent.door.AgentApiSettings;
import io.flexrig.agent.source.cgminer.CgminerDriver;
import io.flexrig.agent.uplink.TestController;
import io.flexrig.core.profile.HardwareProfile;
import io.flexrig.core.profile.SensorSpec;
import io.flexrig.proto.v1.AgentServiceGrpc;
import io.flexrig.proto.v1.ArmFrequencyResponseRequest;
import io.flexrig.proto.v1.CommandAck;
import io.flexrig.proto.v1.CommandOutcome;
import io.flexrig.proto.v1.CommandStatus;
import io.flexrig.proto.v1.DisarmFrequencyResponseRequest;
import io.flexrig.proto.v1.GetSnapshotRequest;
import io.flexrig.proto.v1.ListActiveCommandsRequest;
import io.flexrig.proto.v1.Reading;
import io.flexrig.proto.v1.SwitchWorkloadRequest;
import io.flexrig.sim.StandInNvidiaSmi;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SwitchWorkload, ArmFrequencyResponse and DisarmFrequencyResponse called on a rig's AgentService
 * go through the agent's one command path; the workloads are real child processes.
 */
@Tag("integration")
class WorkloadSwitchThroughAgentServiceTest {
  @TempDir Path dir;
  private TestController controller;
  private RigAgent agent;
  private ManagedChannel channel;

  @AfterEach
  void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (agent != null) {
      agent.close();
    }
    if (controller != null) {
      controller.close();
    }
  }

  private AgentServiceGrpc.AgentServiceBlockingStub stub() {
    return AgentServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private static boolean minerAnswers(int port) {
    try {
      CgminerDriver.client(new SensorSpec("m", "cgminer://127.0.0.1:" + port, Map.of()))
          .send("summary");
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private double reading(String name) {
    return stub().getSnapshot(GetSnapshotRequest.getDefaultInstance()).getReadingsList().stream()
        .filter(r -> r.getName().equals(name))
        .mapToDouble(Reading::getValue)
        .findFirst()
        .orElse(Double.NaN);
  }

  @Test
  void aSwitchCalledOnTheDoorIsExecutedHeldAndReportedLikeAControllerCommand() throws Exception {
    int minerPort = ChildProcesses.freePort();
    int aiPort = ChildProcesses.freePort();
    HardwareProfile rig = ChildProcesses.hybridGpuRig(minerPort, aiPort, 2, 600);
    Path smi = StandInNvidiaSmi.install(dir, 8, "NVIDIA GeForce RTX 4090", 450, 150);
    controller = new TestController().start();
    agent =
        new RigAgent(
            AgentConfig.builder("rig-1", "site-a", rig, controller.target())
                .telemetryInterval(Duration.ofMillis(250))
                .maxReconnectBackoff(Duration.ofMillis(300))
                .stateDir(dir.resolve("state"))
                .agentApi(AgentApiSettings.plaintextLoopback(0))
                .workloads(
                    WorkloadSettings.NONE
                        .with(
                            Map.of(
                                "mining",
                                WorkloadSettings.Launch.process(
                                    ChildProcesses.miner(minerPort), null),
                                "llm-inference",
                                WorkloadSettings.Launch.process(
                                    ChildProcesses.inferenceServer(aiPort, 50), null)),
                            "mining")
                        .with(ChildProcesses.FAST)
                        .withNvidiaSmi(smi.toString()))
                .build());
    agent.start();
    channel =
        Grpc.newChannelBuilder(
                "127.0.0.1:" + agent.agentApiPort(), InsecureChannelCredentials.create())
            .build();
    await().atMost(30, TimeUnit.SECONDS).until(() -> minerAnswers(minerPort));
    await().atMost(10, TimeUnit.SECONDS).until(() -> reading("workload.mining.active") == 1);

    CommandAck ack =
        stub()
            .switchWorkload(
                SwitchWorkloadRequest.newBuilder()
                    .setCommandId("to-ai")
                    .setWorkload("llm-inference")
                    .build());

    assertThat(ack.getAccepted()).isTrue();
    assertThat(ack.getReason()).isEqualTo("switching to llm-inference");
    await()
        .atMost(60, TimeUnit.SECONDS)
        .until(() -> controller.results.stream().anyMatch(r -> r.getCommandId().equals("to-ai")));
    CommandStatus done =
        stub()
            .listActiveCommands(ListActiveCommandsRequest.getDefaultInstance())
            .getRecentList()
            .stream()
            .filter(s -> s.getCommand().getCommandId().equals("to-ai"))
            .findFirst()
            .orElseThrow();
    assertThat(done.getResult().getOutcome()).isEqualTo(CommandOutcome.COMMAND_OUTCOME_ACHIEVED);
    assertThat(done.getSource()).isEqualTo("agent-api");
    assertThat(controller.acks).anyMatch(a -> a.getCommandId().equals("to-ai"));
    await().atMost(10, TimeUnit.SECONDS).until(() -> reading("workload.llm-inference.active") == 1);
    assertThat(minerAnswers(minerPort)).isFalse();

    // inside the hold, a switch back is refused with the reason, and nothing changes
    assertThatThrownBy(
            () ->
                stub()
                    .switchWorkload(
                        SwitchWorkloadRequest.newBuilder().setWorkload("mining").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription()).contains("min_run_s");
            });
    assertThatThrownBy(
            () ->
                stub()
                    .switchWorkload(
                        SwitchWorkloadRequest.newBuilder().setWorkload("bitcoin").build()))
        .hasMessageContaining("no supervised workload 'bitcoin'");
    assertThat(agent.workloads().active()).isEqualTo("llm-inference");
    await()
        .atMost(10, TimeUnit.SECONDS)
        .alias("SCADA, the status file and /metrics see the supervised process, not the command")
        .until(
            () ->
                agent.status() != null
                    && agent.status().workloadState().equals("RUNNING")
                    && activeWorkloadRunning(agent, "llm-inference"));

    // arming and disarming the frequency response take the same path
    CommandAck armed =
        stub()
            .armFrequencyResponse(
                ArmFrequencyResponseRequest.newBuilder().setProgram("ERCOT-FFR").build());
    CommandAck disarmed =
        stub()
            .disarmFrequencyResponse(
                DisarmFrequencyResponseRequest.newBuilder().setProgram("ERCOT-FFR").build());
    assertThat(armed.getReason()).isEqualTo("armed ERCOT-FFR");
    assertThat(disarmed.getReason()).isEqualTo("disarmed ERCOT-FFR");
    assertThatThrownBy(
            () -> stub().armFrequencyResponse(ArmFrequencyResponseRequest.getDefaultInstance()))
        .hasMessageContaining("program missing");
  }

  /** The /metrics collector's view: the active workload's series says RUNNING. */
  private static boolean activeWorkloadRunning(RigAgent agent, String workload) {
    return new io.flexrig.agent.metrics.RigMetrics(agent)
        .collect().stream()
            .filter(m -> m.getMetadata().getPrometheusName().equals("flexrig_rig_workload_state"))
            .flatMap(m -> m.getDataPoints().stream())
            .map(
                p -> (io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot) p)
            .anyMatch(
                p ->
                    p.getValue() == 1
                        && workload.equals(p.getLabels().get("workload"))
                        && "true".equals(p.getLabels().get("active"))
                        && "running".equals(p.getLabels().get("state")));
  }
}
