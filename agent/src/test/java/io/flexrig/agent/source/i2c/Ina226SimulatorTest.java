package io.flexrig.agent.source.i2c;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import io.flexrig.agent.source.Reading;
import io.flexrig.sim.i2c.Ina226RegisterMap;
import io.flexrig.sim.i2c.SimulatedI2CBus;
import io.flexrig.sim.i2c.SimulatedI2CProvider;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("integration")
class Ina226SimulatorTest {
  private final SimulatedI2CBus bus = new SimulatedI2CBus();
  private final Context pi4j = Pi4J.newContextBuilder().add(new SimulatedI2CProvider(bus)).build();
  private final Pi4jI2c i2c = new Pi4jI2c(pi4j, SimulatedI2CProvider.ID);

  @AfterEach
  void shutdown() {
    pi4j.shutdown();
  }

  @Test
  void writesCalibrationAtOpenAndReadsDcAndEstimatedWallPower() throws Exception {
    Ina226RegisterMap chip = new Ina226RegisterMap(() -> 2884.0, 0.0002);
    bus.register(1, 0x40, chip);

    try (Ina226Source source =
        new Ina226Source(
            "dc_power",
            I2cAddress.parse("i2c:1/0x40/ina226"),
            new Ina226(0.0002, 0.01),
            0.94,
            i2c,
            new ReentrantLock(true),
            Clock.systemUTC())) {
      assertThat(chip.readRegister(Ina226RegisterMap.CALIBRATION)).isEqualTo(2560);
      Map<String, Reading> r =
          source.sample().stream().collect(Collectors.toMap(Reading::name, x -> x));

      assertThat(r.get("dc_power.dc").value()).isCloseTo(2884, within(1.0));
      assertThat(r.get("dc_power").value()).isCloseTo(2884 / 0.94, within(1.5));
      assertThat(r.get("dc_power.bus_voltage").value()).isCloseTo(12.0, within(0.01));
      assertThat(r.get("dc_power.current").value()).isCloseTo(2884 / 12.0, within(0.1));
    }
  }

  @Test
  void anAbsentChipFailsTheOpen() {
    assertThatThrownBy(
            () ->
                new Ina226Source(
                    "dc_power",
                    I2cAddress.parse("i2c:3/0x41/ina226"),
                    new Ina226(0.0002, 0.01),
                    0.94,
                    i2c,
                    new ReentrantLock(true),
                    Clock.systemUTC()))
        .isInstanceOf(IOException.class);
  }
}
