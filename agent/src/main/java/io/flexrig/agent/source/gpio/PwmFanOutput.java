package io.flexrig.agent.source.gpio;

import com.pi4j.context.Context;
import com.pi4j.io.pwm.Pwm;
import com.pi4j.io.pwm.PwmConfig;
import com.pi4j.io.pwm.PwmProvider;
import com.pi4j.io.pwm.PwmType;
import io.flexrig.agent.source.PolledSource;
import io.flexrig.agent.source.Reading;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PWM fan driven from a GPIO pin at 25 kHz (the 4-wire fan standard's frequency). Starts and ends
 * at full speed: a fan the agent no longer controls must cool at its maximum. As a source it
 * reports the duty it is driving, {@code <role>} in percent, so the snapshot shows the command.
 */
public final class PwmFanOutput implements PolledSource {
  private static final Logger log = LoggerFactory.getLogger(PwmFanOutput.class);

  /** The Intel 4-wire PWM fan specification's target frequency. */
  public static final int FREQUENCY_HZ = 25_000;

  private final String role;
  private final int pin;
  private final FanDuty duty;
  private final Context pi4j;
  private final Pwm pwm;
  private final Clock clock;
  private volatile int appliedPercent;

  public PwmFanOutput(String role, int pin, FanDuty duty, Pi4jGpio gpio, Clock clock)
      throws IOException {
    this.role = role;
    this.pin = pin;
    this.duty = duty;
    this.pi4j = gpio.pi4j();
    this.clock = clock;
    PwmConfig config =
        Pwm.newConfigBuilder(pi4j)
            .id("flexrig-pwm-" + pin)
            .name(role)
            .address(pin)
            .pwmType(PwmType.HARDWARE)
            .frequency(FREQUENCY_HZ)
            .initial(FanDuty.SAFE_PERCENT)
            .shutdown(FanDuty.SAFE_PERCENT)
            .provider(gpio.pwmProviderId())
            .build();
    try {
      this.pwm = pi4j.provider(gpio.pwmProviderId(), PwmProvider.class).create(config);
      pwm.on(FanDuty.SAFE_PERCENT, FREQUENCY_HZ);
    } catch (RuntimeException e) {
      throw new IOException("cannot open GPIO " + pin + " as PWM: " + e.getMessage(), e);
    }
    appliedPercent = FanDuty.SAFE_PERCENT;
  }

  /**
   * Drives the fan at the requested duty, clamped to the fan's minimum and 100 %.
   *
   * @return the duty applied
   */
  public synchronized int setDuty(double requestedPercent) throws IOException {
    int p = duty.clamp(requestedPercent);
    try {
      pwm.on(p, FREQUENCY_HZ);
    } catch (RuntimeException e) {
      throw new IOException("setting fan PWM on GPIO " + pin + " failed: " + e.getMessage(), e);
    }
    appliedPercent = p;
    return p;
  }

  public int appliedPercent() {
    return appliedPercent;
  }

  @Override
  public String name() {
    return role;
  }

  @Override
  public List<Reading> sample() {
    return List.of(Reading.good(role, appliedPercent, "%", clock.instant()));
  }

  /** Leaves the fan at full speed, then releases the pin. */
  @Override
  public synchronized void close() {
    try {
      pwm.on(FanDuty.SAFE_PERCENT, FREQUENCY_HZ);
      appliedPercent = FanDuty.SAFE_PERCENT;
    } catch (RuntimeException e) {
      log.warn("could not set fan on GPIO {} to full speed at close: {}", pin, e.toString());
    }
    try {
      pi4j.shutdown(pwm.id());
    } catch (RuntimeException e) {
      log.debug("closing PWM on GPIO {} failed: {}", pin, e.toString());
    }
  }

  @Override
  public String toString() {
    return "PwmFanOutput[" + role + " gpio:" + pin + "]";
  }
}
