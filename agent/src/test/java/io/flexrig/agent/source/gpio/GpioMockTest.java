package io.flexrig.agent.source.gpio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.pwm.Pwm;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import com.pi4j.plugin.mock.provider.pwm.MockPwmProvider;
import io.flexrig.agent.source.Quality;
import io.flexrig.agent.source.Reading;
import io.flexrig.agent.source.SourceContext;
import io.flexrig.core.profile.SensorSpec;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Tach, PWM fan and PSU relay through Pi4J's mock GPIO providers (no pins exist here). */
class GpioMockTest {
  private final Context pi4j =
      Pi4J.newContextBuilder()
          .add(
              MockDigitalInputProvider.newInstance(),
              MockDigitalOutputProvider.newInstance(),
              MockPwmProvider.newInstance())
          .build();
  private final Pi4jGpio gpio =
      new Pi4jGpio(
          pi4j, MockDigitalInputProvider.ID, MockDigitalOutputProvider.ID, MockPwmProvider.ID);
  private final SourceContext context =
      SourceContext.builder().service(Pi4jGpio.class, () -> gpio).build();

  @AfterEach
  void shutdown() {
    context.close();
    pi4j.shutdown();
  }

  @Test
  void tachCountsFallingEdgesIntoRpm() throws Exception {
    AtomicLong nanos = new AtomicLong(1_000_000_000L);
    try (FanTachSource tach =
        new FanTachSource("fan1", 17, new FanTachometer(2), gpio, nanos::get, Clock.systemUTC())) {
      MockDigitalInput pin =
          (MockDigitalInput) pi4j.registry().<DigitalInput>get("flexrig-tach-17");
      pin.mockState(DigitalState.HIGH); // the pulled-up tach line idles high
      assertThat(tach.sample().getFirst().quality()).as("no window yet").isEqualTo(Quality.BAD);

      // 200 pulses in one second from a 2-pulse fan: 100 rev/s, 6000 rpm
      for (int i = 0; i < 200; i++) {
        pin.mockState(DigitalState.LOW);
        pin.mockState(DigitalState.HIGH);
      }
      nanos.addAndGet(1_000_000_000L);
      Reading r = tach.sample().getFirst();
      assertThat(r.value()).isCloseTo(6000, within(1e-9));
      assertThat(r.quality()).isEqualTo(Quality.GOOD);

      nanos.addAndGet(500_000_000L);
      assertThat(tach.sample().getFirst().value()).as("a stalled fan").isZero();
    }
  }

  @Test
  void pwmFanStartsAndEndsAtFullSpeedAndClampsToItsMinimum() throws Exception {
    PwmFanOutput fan =
        (PwmFanOutput)
            new GpioDriver()
                .open(
                    new SensorSpec("fan_pwm", "gpio:18/fan_pwm", Map.of("min_duty_percent", "30")),
                    context);
    Pwm pwm = pi4j.registry().get("flexrig-pwm-18");
    assertThat(pwm.getDutyCycle()).isEqualTo(100);
    assertThat(pwm.getFrequency()).isEqualTo(PwmFanOutput.FREQUENCY_HZ);

    assertThat(fan.setDuty(10)).isEqualTo(30);
    assertThat(pwm.getDutyCycle()).isEqualTo(30);
    assertThat(fan.setDuty(64.6)).isEqualTo(65);
    assertThat(fan.sample().getFirst().value()).isEqualTo(65);

    fan.close();
    assertThat(pwm.getDutyCycle()).as("safe state at close").isEqualTo(100);
  }

  @Test
  void psuRelayStartsAndEndsInItsSafeState() throws Exception {
    PsuEnableRelay relay =
        (PsuEnableRelay)
            new GpioDriver()
                .open(
                    new SensorSpec(
                        "psu_enable", "gpio:27/psu_enable", Map.of("active_low", "true")),
                    context);
    DigitalOutput pin = pi4j.registry().get("flexrig-relay-27");
    // active low, safe state off: PSU disabled means the pin is HIGH
    assertThat(pin.state()).isEqualTo(DigitalState.HIGH);
    assertThat(relay.psuEnabled()).isFalse();

    relay.setPsuEnabled(true);
    assertThat(pin.state()).isEqualTo(DigitalState.LOW);
    assertThat(relay.sample().getFirst().value()).isEqualTo(1);

    relay.close();
    assertThat(pin.state()).as("safe state at close").isEqualTo(DigitalState.HIGH);
    assertThat(relay.psuEnabled()).isFalse();
  }

  @Test
  void relayWiringMapsPsuStateToPinLevel() {
    assertThat(new RelayWiring(false, false).pinStateFor(true)).isEqualTo(DigitalState.HIGH);
    assertThat(new RelayWiring(true, false).pinStateFor(true)).isEqualTo(DigitalState.LOW);
    assertThat(new RelayWiring(true, false).pinStateFor(false)).isEqualTo(DigitalState.HIGH);
  }
}
