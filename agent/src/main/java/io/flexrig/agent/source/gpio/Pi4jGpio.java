package io.flexrig.agent.source.gpio;

import com.pi4j.context.Context;
import java.util.Objects;

/**
 * The Pi4J context and the GPIO providers the agent's builder chose: {@code linuxfs-digital-input},
 * {@code linuxfs-digital-output} and {@code linuxfs-pwm} on a board; tests use Pi4J's mock
 * providers. Registered as a {@link io.flexrig.agent.source.SourceContext} service.
 */
public record Pi4jGpio(
    Context pi4j,
    String digitalInputProviderId,
    String digitalOutputProviderId,
    String pwmProviderId) {
  public Pi4jGpio {
    Objects.requireNonNull(pi4j, "pi4j");
    Objects.requireNonNull(digitalInputProviderId, "digitalInputProviderId");
    Objects.requireNonNull(digitalOutputProviderId, "digitalOutputProviderId");
    Objects.requireNonNull(pwmProviderId, "pwmProviderId");
  }

  /** The providers of Pi4J's Linux file-system plugin, for a real board. */
  public static Pi4jGpio linuxfs(Context pi4j) {
    return new Pi4jGpio(pi4j, "linuxfs-digital-input", "linuxfs-digital-output", "linuxfs-pwm");
  }
}
