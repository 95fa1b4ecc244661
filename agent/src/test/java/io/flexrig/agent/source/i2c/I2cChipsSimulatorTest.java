package io.flexrig.agent.source.i2c;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import io.flexrig.agent.source.InvalidAddressException;
import io.flexrig.agent.source.PolledSource;
import io.flexrig.agent.source.Quality;
import io.flexrig.agent.source.Reading;
import io.flexrig.agent.source.SourceContext;
import io.flexrig.core.profile.SensorSpec;
import io.flexrig.sim.i2c.Ina219RegisterMap;
import io.flexrig.sim.i2c.Ina260RegisterMap;
import io.flexrig.sim.i2c.Lm75RegisterMap;
import io.flexrig.sim.i2c.PmbusPsu;
import io.flexrig.sim.i2c.SimulatedI2CBus;
import io.flexrig.sim.i2c.SimulatedI2CProvider;
import io.flexrig.sim.i2c.Tmp117RegisterMap;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Every I2C chip through the driver, Pi4J and the simulator's register maps. */
@Tag("integration")
class I2cChipsSimulatorTest {
  private final SimulatedI2CBus bus = new SimulatedI2CBus();
  private final Context pi4j = Pi4J.newContextBuilder().add(new SimulatedI2CProvider(bus)).build();
  private final SourceContext context =
      SourceContext.builder()
          .service(Pi4jI2c.class, () -> new Pi4jI2c(pi4j, SimulatedI2CProvider.ID))
          .build();
  private final I2cDriver driver = new I2cDriver();

  @AfterEach
  void shutdown() {
    context.close();
    pi4j.shutdown();
  }

  private PolledSource open(String role, String address, Map<String, String> options)
      throws IOException {
    return (PolledSource) driver.open(new SensorSpec(role, address, options), context);
  }

  private static Map<String, Reading> byName(PolledSource source) throws IOException {
    return source.sample().stream().collect(Collectors.toMap(Reading::name, r -> r));
  }

  @Test
  void ina260ReadsTheRailWithItsFixedLsbs() throws Exception {
    bus.register(1, 0x40, new Ina260RegisterMap(() -> 120.0, 12.0));
    try (PolledSource s = open("dc_power", "i2c:1/0x40/ina260", Map.of("psu_efficiency", "0.95"))) {
      Map<String, Reading> r = byName(s);
      // a 12 V fan-and-controller rail at 10 A: the INA260's integrated shunt is rated 15 A
      assertThat(r.get("dc_power.dc").value()).isCloseTo(120, within(0.01));
      assertThat(r.get("dc_power").value()).isCloseTo(120 / 0.95, within(0.02));
      assertThat(r.get("dc_power.bus_voltage").value()).isCloseTo(12.0, within(0.00125));
      assertThat(r.get("dc_power.current").value()).isCloseTo(10.0, within(0.00125));
    }
  }

  @Test
  void ina260OpenRefusesAChipThatIsNotOne() {
    bus.register(1, 0x41, new Tmp117RegisterMap(() -> 25));
    assertThatThrownBy(() -> open("dc_power", "i2c:1/0x41/ina260", Map.of()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not an INA260");
  }

  @Test
  void ina219IsCalibratedAtOpenAndAgainAfterABrownOut() throws Exception {
    Ina219RegisterMap chip = new Ina219RegisterMap(() -> 10.0, 12.0, 0.002);
    bus.register(1, 0x45, chip);
    Map<String, String> options = Map.of("shunt_ohm", "0.002", "current_lsb_a", "0.001");
    try (PolledSource s = open("dc_power", "i2c:1/0x45/ina219", options)) {
      assertThat(chip.readRegister(Ina219RegisterMap.CALIBRATION)).isEqualTo(20480);
      Map<String, Reading> r = byName(s);
      assertThat(r.get("dc_power.current").value()).isCloseTo(10.0, within(0.001));
      assertThat(r.get("dc_power.bus_voltage").value()).isCloseTo(12.0, within(0.004));
      assertThat(r.get("dc_power.dc").value()).isCloseTo(120.0, within(0.04));

      chip.brownOut();
      assertThat(byName(s).get("dc_power.current").value()).isCloseTo(10.0, within(0.001));
    }
  }

  @Test
  void pmbusPsuReportsInputPowerAndItsTelemetry() throws Exception {
    bus.register(1, 0x58, new PmbusPsu(() -> 3000.0, 0.94, Set.of()));
    try (PolledSource s = open("psu", "i2c:1/0x58/pmbus", Map.of())) {
      Map<String, Reading> r = byName(s);
      assertThat(r.get("psu").value()).as("READ_PIN").isCloseTo(3000 / 0.94, within(2.0));
      assertThat(r.get("psu.pout").value()).isCloseTo(3000, within(2.0));
      assertThat(r.get("psu.vin").value()).isCloseTo(230, within(0.25));
      assertThat(r.get("psu.vout").value()).isEqualTo(12.0);
      assertThat(r.get("psu.iout").value()).isCloseTo(250, within(0.5));
      assertThat(r.get("psu.temperature").value()).isCloseTo(60, within(0.1));
      assertThat(r.get("psu.fan").value()).isCloseTo(6000, within(4.0));
      assertThat(r.values()).allMatch(x -> x.quality() == Quality.GOOD);
    }
  }

  @Test
  void aPmbusCommandThePsuLacksIsBadAndTheRestStillFlows() throws Exception {
    bus.register(2, 0x59, new PmbusPsu(() -> 1000.0, 0.9, Set.of(PmbusPsu.READ_FAN_SPEED_1)));
    try (PolledSource s = open("psu", "i2c:2/0x59/pmbus", Map.of())) {
      Map<String, Reading> r = byName(s);
      assertThat(r.get("psu.fan").quality()).isEqualTo(Quality.BAD);
      assertThat(r.get("psu").quality()).isEqualTo(Quality.GOOD);
      assertThat(r.get("psu").value()).isCloseTo(1111.1, within(1.0));
    }
  }

  @Test
  void aPsuThatVanishesFailsTheWholeSample() throws Exception {
    bus.register(1, 0x58, new PmbusPsu(() -> 3000.0, 0.94, Set.of()));
    try (PolledSource s = open("psu", "i2c:1/0x58/pmbus", Map.of())) {
      bus.unregister(1, 0x58);
      assertThatThrownBy(s::sample).isInstanceOf(IOException.class).hasMessageContaining("0x58");
    }
  }

  @Test
  void tmp117ReadsCelsiusAndIsBadBeforeItsFirstConversion() throws Exception {
    Tmp117RegisterMap chip = new Tmp117RegisterMap(() -> 41.25);
    bus.register(1, 0x48, chip);
    try (PolledSource s = open("inlet_temp", "i2c:1/0x48/tmp117", Map.of())) {
      assertThat(s.sample().getFirst().value()).isEqualTo(41.25);
      chip.converting(false);
      assertThat(s.sample().getFirst().quality()).isEqualTo(Quality.BAD);
    }
  }

  @Test
  void lm75ReadsAtTheResolutionTheProfileGives() throws Exception {
    bus.register(1, 0x49, new Lm75RegisterMap(() -> -12.4, 11));
    try (PolledSource nineBit = open("exhaust_temp", "i2c:1/0x49/lm75", Map.of());
        PolledSource elevenBit = open("exhaust_temp", "i2c:1/0x49/lm75", Map.of("bits", "11"))) {
      assertThat(nineBit.sample().getFirst().value()).isEqualTo(-12.5);
      assertThat(elevenBit.sample().getFirst().value()).isEqualTo(-12.5);
    }
    bus.register(1, 0x4a, new Lm75RegisterMap(() -> 30.3, 11));
    try (PolledSource elevenBit = open("exhaust_temp", "i2c:1/0x4a/lm75", Map.of("bits", "11"))) {
      assertThat(elevenBit.sample().getFirst().value()).isEqualTo(30.25);
    }
  }

  @Test
  void aBusHeldTooLongFailsTheSampleInsteadOfStallingIt() throws Exception {
    bus.register(1, 0x48, new Tmp117RegisterMap(() -> 25));
    try (PolledSource s = open("inlet_temp", "i2c:1/0x48/tmp117", Map.of("bus_timeout_ms", "50"))) {
      Lock busLock = context.shared("i2c.bus.1", Lock.class, () -> new ReentrantLock(true));
      CountDownLatch held = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Thread holder =
          Thread.ofPlatform()
              .start(
                  () -> {
                    busLock.lock();
                    held.countDown();
                    try {
                      release.await();
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    } finally {
                      busLock.unlock();
                    }
                  });
      held.await();
      assertThatThrownBy(s::sample).isInstanceOf(IOException.class).hasMessageContaining("busy");
      release.countDown();
      holder.join();
      assertThat(s.sample().getFirst().value()).isEqualTo(25.0);
    }
  }

  @Test
  void anUnknownChipNameIsAnAddressError() {
    assertThatThrownBy(() -> open("x", "i2c:1/0x40/ina999", Map.of()))
        .isInstanceOf(InvalidAddressException.class)
        .hasMessageContaining("ina260");
  }
}
