package io.flexrig.agent.workload;

import io.flexrig.agent.control.WorkloadKnobs;
import io.flexrig.core.profile.HardwareProfile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A GPU rig's power target, applied as a power limit on every GPU with {@code nvidia-smi -pl <W>}
 * (a real child process). The rig's wall power above its idle draw (the profile's sleep power:
 * host, fans, idle cards) is shared evenly by the GPUs, scaled so the nameplate power maps to the
 * cards' TDP: for the 8x RTX 4090 rig, 4200 W is 450 W a card and 1650 W is 153 W a card.
 *
 * <p>Sleep and wake stop and start the inference workload itself (no GPU knob does that).
 */
public final class GpuPowerLimit implements WorkloadKnobs {
  private final String nvidiaSmi;
  private final int gpus;
  private final double tdpW;
  private final double idleW;
  private final double nameplateW;
  private final Duration timeout;
  private final WorkloadKnobs sleepWake;

  /**
   * @param nvidiaSmi path of nvidia-smi (or its stand-in)
   * @param sleepWake what sleep and wake do; null when the rig cannot sleep by this knob
   */
  public GpuPowerLimit(
      HardwareProfile profile, String nvidiaSmi, Duration timeout, WorkloadKnobs sleepWake) {
    this.nvidiaSmi = nvidiaSmi;
    this.gpus = Math.max(1, profile.nameplate().gpuCount());
    this.tdpW = profile.nameplate().gpuTdpW();
    this.idleW = profile.limits().sleepPowerW();
    this.nameplateW = profile.nameplate().powerW();
    this.timeout = timeout;
    this.sleepWake = sleepWake;
    if (!(tdpW > 0) || !(nameplateW > idleW)) {
      throw new IllegalArgumentException(
          "profile " + profile.id() + " has no gpu_tdp_w or a nameplate below its sleep power");
    }
  }

  /** The per-GPU limit for a wall-power target, in whole watts, at most the TDP. */
  public double perGpuLimitW(double wallW) {
    double w = tdpW * (wallW - idleW) / (nameplateW - idleW);
    return Math.max(1, Math.min(tdpW, Math.floor(w)));
  }

  @Override
  public void setPowerTarget(double watts) throws IOException {
    String limit = String.format(Locale.ROOT, "%.0f", perGpuLimitW(watts));
    List<String> cmd = List.of(nvidiaSmi, "-pl", limit);
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IOException("cannot run " + nvidiaSmi + ": " + e.getMessage(), e);
    }
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IOException("nvidia-smi -pl " + limit + " did not finish within " + timeout);
      }
      if (p.exitValue() != 0) {
        throw new IOException(
            "nvidia-smi -pl " + limit + " failed (" + p.exitValue() + "): " + out.strip());
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while setting the GPU power limit", e);
    }
  }

  @Override
  public void sleep() throws IOException {
    if (sleepWake == null) {
      throw new IOException("this GPU rig has no supervised workload to stop");
    }
    sleepWake.sleep();
  }

  @Override
  public void wake() throws IOException {
    if (sleepWake == null) {
      throw new IOException("this GPU rig has no supervised workload to start");
    }
    sleepWake.wake();
  }

  @Override
  public String toString() {
    return "nvidia-smi -pl (" + gpus + " GPUs, " + Math.round(tdpW) + " W each)";
  }
}
