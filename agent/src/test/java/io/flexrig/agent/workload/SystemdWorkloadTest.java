package io.flexrig.agent.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SystemdWorkload} against a stand-in {@code systemctl} script that logs its calls. */
class SystemdWorkloadTest {
  @TempDir Path dir;
  private Path calls;
  private Path active;
  private Path systemctl;
  private final AtomicLong nanos = new AtomicLong();

  @BeforeEach
  void standInSystemctl() throws Exception {
    calls = dir.resolve("calls");
    active = dir.resolve("active");
    systemctl = dir.resolve("systemctl");
    Files.writeString(
        systemctl,
        "#!/bin/sh\n"
            + "echo \"$*\" >> '"
            + calls
            + "'\n"
            + "case \"$1\" in\n"
            + "  start) touch '"
            + active
            + "' ;;\n"
            + "  stop) rm -f '"
            + active
            + "' ;;\n"
            + "  show) if [ -e '"
            + active
            + "' ]; then printf 'NRestarts=%s\\nActiveState=active\\n' \"$(cat '"
            + active
            + "')\"; else echo ActiveState=failed; echo 'NRestarts=[not set]'; fi ;;\n"
            + "esac\n");
    systemctl.toFile().setExecutable(true);
  }

  private SystemdWorkload workload() {
    return new SystemdWorkload(
        "miner.service",
        systemctl.toString(),
        "journalctl",
        Duration.ofSeconds(10),
        10,
        Duration.ofSeconds(2),
        nanos::get);
  }

  private long systemctlCalls() throws Exception {
    return Files.exists(calls) ? Files.readAllLines(calls).size() : 0;
  }

  @Test
  void stateAndRestartsWithinTheTtlCostOneSystemctlCall() throws Exception {
    SystemdWorkload miner = workload();
    Files.writeString(active, "3");

    for (int i = 0; i < 5; i++) {
      assertThat(miner.state()).isEqualTo(Workload.State.RUNNING);
      assertThat(miner.restarts()).isEqualTo(3);
      nanos.addAndGet(Duration.ofMillis(300).toNanos());
    }

    assertThat(systemctlCalls()).isEqualTo(1);
    assertThat(Files.readAllLines(calls))
        .containsExactly("show -p ActiveState -p NRestarts miner.service");
  }

  @Test
  void anAnswerOlderThanTheTtlIsReadAgain() throws Exception {
    SystemdWorkload miner = workload();
    Files.writeString(active, "0");
    assertThat(miner.state()).isEqualTo(Workload.State.RUNNING);

    Files.delete(active); // the unit failed behind the agent's back
    nanos.addAndGet(Duration.ofSeconds(2).toNanos());

    assertThat(miner.state()).isEqualTo(Workload.State.STOPPED);
    assertThat(systemctlCalls()).isEqualTo(2);
  }

  @Test
  void aStartOrStopIsFollowedByAFreshState() throws Exception {
    SystemdWorkload miner = workload();
    assertThat(miner.state()).isEqualTo(Workload.State.STOPPED);

    miner.start();
    assertThat(miner.state()).isEqualTo(Workload.State.RUNNING);
    miner.stop();
    assertThat(miner.state()).isEqualTo(Workload.State.STOPPED);

    assertThat(Files.readAllLines(calls))
        .containsExactly(
            "show -p ActiveState -p NRestarts miner.service",
            "start miner.service",
            "show -p ActiveState -p NRestarts miner.service",
            "stop miner.service",
            "show -p ActiveState -p NRestarts miner.service");
  }

  @Test
  void aSystemdWithoutARestartCounterReportsZeroRestarts() {
    SystemdWorkload miner = workload();

    assertThat(miner.restarts()).isZero();
    assertThat(miner.state()).isEqualTo(Workload.State.STOPPED);
  }
}
