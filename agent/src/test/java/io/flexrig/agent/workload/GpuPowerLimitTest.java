package io.flexrig.agent.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexrig.core.profile.HardwareProfile;
import io.flexrig.core.profile.ProfileLoader;
import io.flexrig.sim.StandInNvidiaSmi;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** nvidia-smi -pl run as a real child process: the simulator's stand-in script. */
@Tag("integration")
class GpuPowerLimitTest {
  @TempDir Path dir;

  private static HardwareProfile rtx4090Rig() throws Exception {
    return ProfileLoader.load(ChildProcesses.PROFILES.resolve("gpu-rig-8x-rtx4090.yaml"));
  }

  @Test
  void wallPowerMapsToPerGpuLimitsBetweenTheFloorAndTheTdp() throws Exception {
    GpuPowerLimit knob = new GpuPowerLimit(rtx4090Rig(), "nvidia-smi", Duration.ofSeconds(5), null);

    assertThat(knob.perGpuLimitW(4200)).isEqualTo(450);
    assertThat(knob.perGpuLimitW(1650)).isEqualTo(153);
    assertThat(knob.perGpuLimitW(9000)).isEqualTo(450);
  }

  @Test
  void aPowerTargetSetsEveryGpusLimitAndARefusalIsAnError() throws Exception {
    Path smi = StandInNvidiaSmi.install(dir, 8, "NVIDIA GeForce RTX 4090", 450, 200);
    GpuPowerLimit knob =
        new GpuPowerLimit(rtx4090Rig(), smi.toString(), Duration.ofSeconds(5), null);

    knob.setPowerTarget(2500);

    for (int gpu = 0; gpu < 8; gpu++) {
      assertThat(StandInNvidiaSmi.limitW(dir, gpu, 450)).isEqualTo(252);
    }
    // this card's floor is 200 W: nvidia-smi refuses 153 W and says why
    assertThatThrownBy(() -> knob.setPowerTarget(1650))
        .hasMessageContaining("nvidia-smi -pl 153 failed (2)")
        .hasMessageContaining("is not a valid power limit");
    assertThatThrownBy(knob::sleep).hasMessageContaining("no supervised workload");
  }
}
