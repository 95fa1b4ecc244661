package io.flexrig.agent.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flexrig.agent.source.cgminer.CgminerClient;
import io.flexrig.agent.source.cgminer.CgminerDriver;
import io.flexrig.core.profile.SensorSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Real child processes: the simulator's stand-in miner in its own JVM. */
@Tag("integration")
class WorkloadSupervisorTest {
  private static final Path PROFILE =
      Path.of(System.getProperty("flexrig.profiles.dir", "../hardware-profiles"))
          .resolve("antminer-s19j-pro.yaml")
          .toAbsolutePath();
  private static final WorkloadSupervisor.Settings FAST =
      new WorkloadSupervisor.Settings(
          Duration.ofMillis(200),
          Duration.ofSeconds(2),
          Duration.ofSeconds(30),
          Duration.ofSeconds(5),
          50);

  private final List<String> events = new CopyOnWriteArrayList<>();
  private final List<Instant> starts = new CopyOnWriteArrayList<>();
  private WorkloadSupervisor supervisor;

  private static List<String> standInMiner(String... extra) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx48m"));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path")));
    cmd.add("io.flexrig.sim.StandInMiner");
    cmd.add(PROFILE.toString());
    cmd.addAll(List.of(extra));
    return cmd;
  }

  private WorkloadSupervisor supervise(List<String> command) {
    supervisor =
        new WorkloadSupervisor(
            "mining",
            command,
            FAST,
            Clock.systemUTC(),
            e -> {
              events.add(e);
              if (e.contains("started")) {
                starts.add(Instant.now());
              }
            });
    return supervisor;
  }

  @AfterEach
  void stop() {
    if (supervisor != null) {
      supervisor.close();
    }
  }

  private static int port(List<String> log) {
    String line =
        log.stream().filter(l -> l.startsWith("cgminer API listening on")).findFirst().get();
    return Integer.parseInt(line.substring(line.lastIndexOf(':') + 1).strip());
  }

  @Test
  void theMinerIsStartedItsOutputCapturedAndItsApiAnswers() throws Exception {
    supervise(standInMiner("0")).start();

    await()
        .atMost(20, TimeUnit.SECONDS)
        .until(() -> supervisor.recentLog().stream().anyMatch(l -> l.contains("listening")));
    assertThat(supervisor.state()).isEqualTo(WorkloadSupervisor.State.RUNNING);
    assertThat(supervisor.pid()).isPresent();
    CgminerClient client =
        CgminerDriver.client(
            new SensorSpec(
                "miner_api", "cgminer://127.0.0.1:" + port(supervisor.recentLog()), Map.of()));
    assertThat(client.send("summary")).contains("SUMMARY");
  }

  @Test
  void aCrashingMinerIsRestartedWithGrowingBackoff() {
    supervise(standInMiner("0", "0.3")).start();

    await().atMost(40, TimeUnit.SECONDS).until(() -> starts.size() >= 3);
    assertThat(supervisor.restarts()).isGreaterThanOrEqualTo(2);
    assertThat(events).anyMatch(e -> e.contains("exited with status 3"));
    assertThat(events)
        .anyMatch(e -> e.contains("in 200 ms"))
        .anyMatch(e -> e.contains("in 400 ms"));
    assertThat(supervisor.recentLog()).anyMatch(l -> l.contains("simulated crash"));
  }

  @Test
  void aMinerKilledFromOutsideIsStartedAgainAsANewProcess() throws Exception {
    supervise(standInMiner("0")).start();
    await().atMost(20, TimeUnit.SECONDS).until(() -> supervisor.pid().isPresent());
    long first = supervisor.pid().getAsLong();

    ProcessHandle.of(first).orElseThrow().destroyForcibly();

    await()
        .atMost(20, TimeUnit.SECONDS)
        .until(
            () ->
                supervisor.pid().isPresent()
                    && supervisor.pid().getAsLong() != first
                    && supervisor.state() == WorkloadSupervisor.State.RUNNING);
    assertThat(supervisor.restarts()).isEqualTo(1);
  }

  @Test
  void aStoppedMinerEndsAndIsNotRestarted() throws Exception {
    supervise(standInMiner("0")).start();
    await()
        .atMost(20, TimeUnit.SECONDS)
        .until(() -> supervisor.recentLog().stream().anyMatch(l -> l.contains("listening")));
    ProcessHandle handle = ProcessHandle.of(supervisor.pid().getAsLong()).orElseThrow();

    supervisor.stop();

    assertThat(handle.isAlive()).isFalse();
    assertThat(supervisor.state()).isEqualTo(WorkloadSupervisor.State.STOPPED);
    await().pollDelay(Duration.ofMillis(600)).until(() -> true);
    assertThat(supervisor.pid()).isEmpty();
    assertThat(supervisor.restarts()).isZero();
  }
}
