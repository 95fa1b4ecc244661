package io.flexrig.agent.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SystemdWorkload} against a stand-in {@code systemctl} script that logs its calls. */
class SystemdWorkloadTest {
  @TempDir Path dir;
  private StandInSystemctl systemctl;
  private final AtomicLong nanos = new AtomicLong();

  @BeforeEach
  void standInSystemctl() throws Exception {
    systemctl = new StandInSystemctl(dir);
  }

  private SystemdWorkload workload() {
    return new SystemdWorkload(
        "miner.service",
        systemctl.path(),
        "journalctl",
        Duration.ofSeconds(10),
        10,
        Duration.ofSeconds(2),
        nanos::get);
  }

  @Test
  void stateAndRestartsWithinTheTtlCostOneSystemctlCall() throws Exception {
    SystemdWorkload miner = workload();
    systemctl.unitActive(true);
    systemctl.restarts(3);

    for (int i = 0; i < 5; i++) {
      assertThat(miner.state()).isEqualTo(Workload.State.RUNNING);
      assertThat(miner.restarts()).isEqualTo(3);
      nanos.addAndGet(Duration.ofMillis(300).toNanos());
    }

    assertThat(systemctl.calls().size()).isEqualTo(1);
    assertThat(systemctl.calls()).containsExactly("show -p ActiveState -p NRestarts miner.service");
  }

  @Test
  void anAnswerOlderThanTheTtlIsReadAgain() throws Exception {
    SystemdWorkload miner = workload();
    systemctl.unitActive(true);
    assertThat(miner.state()).isEqualTo(Workload.State.RUNNING);

    systemctl.unitActive(false); // the unit failed behind the agent's back
    nanos.addAndGet(Duration.ofSeconds(2).toNanos());

    assertThat(miner.state()).isEqualTo(Workload.State.STOPPED);
    assertThat(systemctl.calls().size()).isEqualTo(2);
  }

  @Test
  void aStartOrStopIsFollowedByAFreshState() throws Exception {
    SystemdWorkload miner = workload();
    assertThat(miner.state()).isEqualTo(Workload.State.STOPPED);

    miner.start();
    assertThat(miner.state()).isEqualTo(Workload.State.RUNNING);
    miner.stop();
    assertThat(miner.state()).isEqualTo(Workload.State.STOPPED);

    assertThat(systemctl.calls())
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
