package io.flexrig.agent.source.gpio;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalOutputConfig;
import com.pi4j.io.gpio.digital.DigitalOutputProvider;
import com.pi4j.io.gpio.digital.DigitalState;
import io.flexrig.agent.source.PolledSource;
import io.flexrig.agent.source.Reading;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay on the PSU's enable line: the hard-cut knob. It is put in its safe state when opened,
 * when closed, and by Pi4J's own shutdown (configured as the pin's shutdown state), so a crashed or
 * stopped agent leaves the rig in the state the site chose. As a source it reports {@code <role>}:
 * 1 when the PSU is enabled, 0 when cut.
 *
 * @see RelayWiring
 */
public final class PsuEnableRelay implements PolledSource {
  private static final Logger log = LoggerFactory.getLogger(PsuEnableRelay.class);

  private final String role;
  private final int pin;
  private final RelayWiring wiring;
  private final Context pi4j;
  private final DigitalOutput output;
  private final Clock clock;
  private volatile boolean psuEnabled;

  public PsuEnableRelay(String role, int pin, RelayWiring wiring, Pi4jGpio gpio, Clock clock)
      throws IOException {
    this.role = role;
    this.pin = pin;
    this.wiring = wiring;
    this.pi4j = gpio.pi4j();
    this.clock = clock;
    DigitalState safe = wiring.pinStateFor(wiring.safePsuEnabled());
    DigitalOutputConfig config =
        DigitalOutput.newConfigBuilder(pi4j)
            .id("flexrig-relay-" + pin)
            .name(role)
            .address(pin)
            .initial(safe)
            .shutdown(safe)
            .provider(gpio.digitalOutputProviderId())
            .build();
    try {
      this.output =
          pi4j.provider(gpio.digitalOutputProviderId(), DigitalOutputProvider.class).create(config);
      output.state(safe);
    } catch (RuntimeException e) {
      throw new IOException("cannot open GPIO " + pin + " as relay output: " + e.getMessage(), e);
    }
    psuEnabled = wiring.safePsuEnabled();
  }

  /** Switches the PSU on (true) or off (false). */
  public synchronized void setPsuEnabled(boolean enabled) throws IOException {
    try {
      output.state(wiring.pinStateFor(enabled));
    } catch (RuntimeException e) {
      throw new IOException("switching relay on GPIO " + pin + " failed: " + e.getMessage(), e);
    }
    psuEnabled = enabled;
  }

  public boolean psuEnabled() {
    return psuEnabled;
  }

  @Override
  public String name() {
    return role;
  }

  @Override
  public List<Reading> sample() {
    return List.of(Reading.good(role, psuEnabled ? 1 : 0, "", clock.instant()));
  }

  /** Puts the relay in its safe state, then releases the pin. */
  @Override
  public synchronized void close() {
    try {
      output.state(wiring.pinStateFor(wiring.safePsuEnabled()));
      psuEnabled = wiring.safePsuEnabled();
    } catch (RuntimeException e) {
      log.error("could not put the PSU relay on GPIO {} in its safe state: {}", pin, e.toString());
    }
    try {
      pi4j.shutdown(output.id());
    } catch (RuntimeException e) {
      log.debug("closing relay on GPIO {} failed: {}", pin, e.toString());
    }
  }

  @Override
  public String toString() {
    return "PsuEnableRelay[" + role + " gpio:" + pin + "]";
  }
}
