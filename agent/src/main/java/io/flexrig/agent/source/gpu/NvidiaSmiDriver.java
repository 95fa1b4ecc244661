package io.flexrig.agent.source.gpu;

import io.flexrig.agent.source.InvalidAddressException;
import io.flexrig.agent.source.Source;
import io.flexrig.agent.source.SourceContext;
import io.flexrig.agent.source.SourceDriver;
import io.flexrig.core.profile.SensorAddress;
import io.flexrig.core.profile.SensorSpec;
import java.time.Duration;

/**
 * Driver for {@code nvidia-smi:all} and {@code nvidia-smi:<gpu index>}. Options: {@code command}
 * (path of nvidia-smi, default {@code nvidia-smi} on the PATH), {@code timeout_ms} (default 5000:
 * nvidia-smi takes over a second on an 8-GPU host while the driver initializes).
 */
public final class NvidiaSmiDriver implements SourceDriver {

  @Override
  public String scheme() {
    return "nvidia-smi";
  }

  @Override
  public Source open(SensorSpec sensor, SourceContext context) {
    SensorAddress.NvidiaSmi address;
    try {
      address = (SensorAddress.NvidiaSmi) SensorAddress.parse(sensor.address());
    } catch (IllegalArgumentException e) {
      throw new InvalidAddressException(sensor.address(), e.getMessage());
    }
    String command = sensor.options().getOrDefault("command", "nvidia-smi").strip();
    long timeoutMs;
    String t = sensor.options().getOrDefault("timeout_ms", "5000").strip();
    try {
      timeoutMs = Long.parseLong(t);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "sensor '" + sensor.role() + "': option timeout_ms='" + t + "' is not a whole number");
    }
    return new NvidiaSmiSource(
        sensor.role(), command, address.gpuIndex(), Duration.ofMillis(timeoutMs), context.clock());
  }
}
