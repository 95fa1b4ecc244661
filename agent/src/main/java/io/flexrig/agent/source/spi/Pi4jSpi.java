package io.flexrig.agent.source.spi;

import com.pi4j.context.Context;
import java.util.Objects;

/**
 * The Pi4J context and SPI provider the agent's builder chose: {@code linuxfs-spi} on a board;
 * tests use Pi4J's mock provider. Registered as a {@link io.flexrig.agent.source.SourceContext}
 * service.
 */
public record Pi4jSpi(Context pi4j, String providerId) {
  public Pi4jSpi {
    Objects.requireNonNull(pi4j, "pi4j");
    if (providerId == null || providerId.isBlank()) {
      throw new IllegalArgumentException("SPI provider id is empty");
    }
  }
}
