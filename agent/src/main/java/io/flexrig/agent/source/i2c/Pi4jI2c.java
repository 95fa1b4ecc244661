package io.flexrig.agent.source.i2c;

import com.pi4j.context.Context;
import java.util.Objects;

/**
 * The Pi4J context and I2C provider the agent's builder chose: {@code linuxfs-i2c} on a real board,
 * {@code flexrig-sim-i2c} with the simulator. Registered as a {@link
 * io.flexrig.agent.source.SourceContext} service.
 */
public record Pi4jI2c(Context pi4j, String providerId) {
  public Pi4jI2c {
    Objects.requireNonNull(pi4j, "pi4j");
    if (providerId == null || providerId.isBlank()) {
      throw new IllegalArgumentException("I2C provider id is empty");
    }
  }
}
