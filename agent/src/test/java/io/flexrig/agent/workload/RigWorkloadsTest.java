package io.flexrig.agent.workload;

import static io.flexrig.agent.workload.ChildProcesses.FAST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flexrig.agent.control.CommandOutcome;
import io.flexrig.agent.control.CommandResult;
import io.flexrig.agent.source.Reading;
import io.flexrig.agent.source.cgminer.CgminerDriver;
import io.flexrig.core.profile.HardwareProfile;
import io.flexrig.core.profile.SensorSpec;
import io.flexrig.sim.StandInNvidiaSmi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rig's workloads as real child processes: the simulator's stand-in miner (cgminer API) and
 * stand-in inference server (HTTP), each in its own JVM, and a stand-in nvidia-smi script.
 */
@Tag("integration")
class RigWorkloadsTest {
  private static final double DRAIN_S = 5;
  private static final double HOLD_S = 3;

  @TempDir Path dir;
  private final List<CommandResult> results = new CopyOnWriteArrayList<>();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private RigWorkloads workloads;

  @AfterEach
  void stop() {
    if (workloads != null) {
      workloads.close();
    }
  }

  private RigWorkloads create(HardwareProfile profile, WorkloadSettings settings, Path state) {
    return RigWorkloads.create(
        profile,
        settings,
        null,
        state,
        Clock.systemUTC(),
        results::add,
        (warning, code, message) -> events.add(code + ": " + message));
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

  private int post(int port, String path) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private CommandResult result(String id) {
    await()
        .atMost(60, TimeUnit.SECONDS)
        .until(() -> results.stream().anyMatch(r -> r.commandId().equals(id)));
    return results.stream().filter(r -> r.commandId().equals(id)).findFirst().orElseThrow();
  }

  private double reading(String name) throws Exception {
    return workloads.source().sample().stream()
        .filter(r -> r.name().equals(name))
        .mapToDouble(Reading::value)
        .findFirst()
        .orElse(Double.NaN);
  }

  @Test
  void switchesFromMiningToAiAndBackDrainingTheRequestsInFlightAndHoldingInBetween()
      throws Exception {
    int minerPort = ChildProcesses.freePort();
    int aiPort = ChildProcesses.freePort();
    HardwareProfile rig = ChildProcesses.hybridGpuRig(minerPort, aiPort, DRAIN_S, HOLD_S);
    Path smi = StandInNvidiaSmi.install(dir, 8, "NVIDIA GeForce RTX 4090", 450, 150);
    WorkloadSettings settings =
        WorkloadSettings.NONE
            .with(
                Map.of(
                    "mining",
                    WorkloadSettings.Launch.process(ChildProcesses.miner(minerPort), null),
                    "llm-inference",
                    WorkloadSettings.Launch.process(
                        ChildProcesses.inferenceServer(aiPort, 50), null)),
                "mining")
            .with(FAST)
            .withNvidiaSmi(smi.toString());
    Path state = dir.resolve("state");
    workloads = create(rig, settings, state);
    workloads.start();
    await().atMost(30, TimeUnit.SECONDS).until(() -> minerAnswers(minerPort));
    assertThat(reading("workload.mining.active")).isEqualTo(1);
    assertThat(reading("workload.mining.state")).isEqualTo(Workload.State.RUNNING.ordinal());

    // mining -> AI
    assertThat(workloads.problemWith("llm-inference", Instant.now())).isNull();
    workloads.switchTo("to-ai", "llm-inference", Instant.now());
    CommandResult toAi = result("to-ai");
    assertThat(toAi.outcome()).isEqualTo(CommandOutcome.ACHIEVED);
    assertThat(toAi.detail()).contains("mining -> llm-inference", "llm-inference answers");
    assertThat(post(aiPort, "/v1/completions")).isEqualTo(200);
    assertThat(minerAnswers(minerPort)).isFalse();
    assertThat(workloads.workload("mining").state()).isEqualTo(Workload.State.STOPPED);

    // the hold: no switch back before min_run_s, with the time it becomes possible
    assertThat(workloads.problemWith("mining", Instant.now()))
        .contains("min_run_s", "switch possible from");
    assertThat(workloads.problemWith("llm-inference", Instant.now())).contains("already running");

    // the power target in force goes to the GPUs while AI runs
    workloads.setPowerTarget(2500);
    assertThat(StandInNvidiaSmi.limitW(dir, 0, 450)).isEqualTo(252);

    // a long request is in flight when the switch back starts: it is served, new ones refused
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> workloads.problemWith("mining", Instant.now()) == null);
    CompletableFuture<Integer> longRequest =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return post(aiPort, "/v1/completions?ms=3000");
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> reading("workload.llm-inference.in_flight") == 1);
    Instant back = Instant.now();
    workloads.switchTo("to-mining", "mining", back);
    await().atMost(5, TimeUnit.SECONDS).until(() -> reading("workload.llm-inference.state") == 4);
    assertThat(post(aiPort, "/v1/completions")).isEqualTo(503);

    assertThat(longRequest.get(10, TimeUnit.SECONDS)).isEqualTo(200);
    CommandResult toMining = result("to-mining");
    assertThat(toMining.outcome()).isEqualTo(CommandOutcome.ACHIEVED);
    assertThat(toMining.detail())
        .contains("drained 1 requests in flight", "mining answers", "power target 2500 W");
    assertThat(minerAnswers(minerPort)).isTrue();
    assertThat(workloads.workload("llm-inference").state()).isEqualTo(Workload.State.STOPPED);
    assertThat(events).anyMatch(e -> e.startsWith("WORKLOAD_SWITCHED"));

    // the choice survives a restart of the agent
    assertThat(Files.readString(state.resolve("workload.properties"))).contains("active=mining");
    workloads.close();
    workloads = create(rig, settings, state);
    assertThat(workloads.active()).isEqualTo("mining");
    assertThat(workloads.problemWith("llm-inference", back.plusSeconds(1))).contains("min_run_s");
  }

  @Test
  void aDrainThatOutlastsDrainSIsCutOffAndTheSwitchGoesOn() throws Exception {
    int minerPort = ChildProcesses.freePort();
    int aiPort = ChildProcesses.freePort();
    HardwareProfile rig = ChildProcesses.hybridGpuRig(minerPort, aiPort, 0.5, 0);
    workloads =
        create(
            rig,
            WorkloadSettings.NONE
                .with(
                    Map.of(
                        "mining",
                        WorkloadSettings.Launch.process(ChildProcesses.miner(minerPort), null),
                        "llm-inference",
                        WorkloadSettings.Launch.process(
                            ChildProcesses.inferenceServer(aiPort, 50), null)),
                    "llm-inference")
                .with(FAST),
            null);
    workloads.start();
    await()
        .atMost(30, TimeUnit.SECONDS)
        .until(() -> reading("workload.llm-inference.in_flight") == 0);
    CompletableFuture.runAsync(
        () -> {
          try {
            post(aiPort, "/v1/completions?ms=20000");
          } catch (Exception e) {
            // cut off by the stop: expected
          }
        });
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> reading("workload.llm-inference.in_flight") == 1);

    workloads.switchTo("to-mining", "mining", Instant.now());

    CommandResult r = result("to-mining");
    assertThat(r.detail()).contains("drain timed out", "with 1 requests in flight");
    assertThat(r.outcome()).isEqualTo(CommandOutcome.ACHIEVED);
    assertThat(minerAnswers(minerPort)).isTrue();
  }

  @Test
  void aCrashingWorkloadIsRestartedWithBackoffAndItsRestartsAreReported() throws Exception {
    int minerPort = ChildProcesses.freePort();
    HardwareProfile rig = ChildProcesses.hybridGpuRig(minerPort, 1, 0, 0);
    workloads =
        create(
            rig,
            WorkloadSettings.NONE
                .with(
                    Map.of(
                        "mining",
                        WorkloadSettings.Launch.process(
                            ChildProcesses.miner(minerPort, "0.5"), null)),
                    null)
                .with(FAST),
            null);
    workloads.start();

    await().atMost(40, TimeUnit.SECONDS).until(() -> reading("workload.mining.restarts") >= 2);
    assertThat(events)
        .anyMatch(e -> e.startsWith("WORKLOAD_RESTART") && e.contains("exited with status 3"))
        .anyMatch(e -> e.contains("in 200 ms"))
        .anyMatch(e -> e.contains("in 400 ms"));
    assertThat(workloads.workload("mining").recentLog())
        .anyMatch(l -> l.contains("simulated crash"));
  }

  @Test
  void aMinerLeftRunningByAKilledAgentIsStoppedBeforeANewOneStarts() throws Exception {
    int minerPort = ChildProcesses.freePort();
    // what a killed agent leaves behind: its miner still running, its pid recorded
    Process orphan = new ProcessBuilder(ChildProcesses.miner(minerPort)).inheritIO().start();
    try {
      await().atMost(30, TimeUnit.SECONDS).until(() -> minerAnswers(minerPort));
      Path state = dir.resolve("state");
      Files.createDirectories(state);
      Files.writeString(
          state.resolve("workload-mining.pid"),
          orphan.pid() + " " + orphan.info().startInstant().orElseThrow().toEpochMilli() + "\n");
      HardwareProfile rig = ChildProcesses.hybridGpuRig(minerPort, 1, 0, 0);
      workloads =
          create(
              rig,
              WorkloadSettings.NONE
                  .with(
                      Map.of(
                          "mining",
                          WorkloadSettings.Launch.process(ChildProcesses.miner(minerPort), null)),
                      null)
                  .with(FAST),
              state);

      workloads.start();

      assertThat(orphan.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(events).anyMatch(e -> e.startsWith("WORKLOAD_ORPHAN_STOPPED"));
      await()
          .atMost(30, TimeUnit.SECONDS)
          .until(
              () ->
                  workloads.workload("mining").state() == Workload.State.RUNNING
                      && minerAnswers(minerPort));
      assertThat(workloads.workload("mining").restarts()).isZero();
      assertThat(Files.readString(state.resolve("workload-mining.pid")))
          .doesNotStartWith(Long.toString(orphan.pid()));
    } finally {
      orphan.destroyForcibly();
    }
  }

  @Test
  void aSystemdWorkloadIsStartedAndStoppedWithSystemctl() throws Exception {
    StandInSystemctl systemctl = new StandInSystemctl(dir);
    systemctl.restarts(2);
    Path journalctl = dir.resolve("journalctl");
    Files.writeString(journalctl, "#!/bin/sh\necho \"log of $2\"\n");
    journalctl.toFile().setExecutable(true);
    int aiPort = ChildProcesses.freePort();
    HardwareProfile rig = ChildProcesses.hybridGpuRig(1, aiPort, 0, 0);
    workloads =
        create(
            rig,
            WorkloadSettings.NONE
                .with(
                    Map.of(
                        "llm-inference",
                        WorkloadSettings.Launch.systemd("vllm.service", null),
                        "mining",
                        WorkloadSettings.Launch.systemd("gpu-miner.service", null)),
                    "llm-inference")
                .withSystemd(systemctl.path(), journalctl.toString()),
            null);

    workloads.start();

    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> reading("workload.llm-inference.state") == Workload.State.RUNNING.ordinal());
    assertThat(systemctl.calls()).contains("stop gpu-miner.service", "start vllm.service");
    assertThat(reading("workload.llm-inference.restarts")).isEqualTo(2);
    assertThat(workloads.workload("llm-inference").recentLog())
        .containsExactly("log of vllm.service");
    workloads.workload("llm-inference").stop();
    assertThat(workloads.workload("llm-inference").state()).isEqualTo(Workload.State.STOPPED);
  }
}
