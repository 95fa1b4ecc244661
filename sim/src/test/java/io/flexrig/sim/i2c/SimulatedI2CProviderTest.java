package io.flexrig.sim.i2c;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.exception.Pi4JException;
import com.pi4j.io.i2c.I2C;
import io.flexrig.sim.SimulatedRig;
import io.flexrig.sim.TestProfiles;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SimulatedI2CProviderTest {

  private final SimulatedRig rig = new SimulatedRig("rig-1", TestProfiles.s19jPro(), 3);
  private final SimulatedI2CBus bus = new SimulatedI2CBus();
  private Context pi4j;

  @BeforeEach
  void setUp() {
    bus.register(1, 0x40, new Ina226RegisterMap(rig::dcPowerW, 0.0002));
    pi4j = Pi4J.newContextBuilder().add(new SimulatedI2CProvider(bus)).build();
  }

  @AfterEach
  void tearDown() {
    pi4j.shutdown();
  }

  private I2C open(int busNumber, int device) {
    return pi4j.create(
        I2C.newConfigBuilder(pi4j)
            .id("ina226-" + busNumber + "-" + device)
            .bus(busNumber)
            .device(device)
            .provider(SimulatedI2CProvider.ID)
            .build());
  }

  @Test
  void readsTheIdentityRegistersThroughPi4J() {
    I2C ina = open(1, 0x40);
    assertThat(ina.readRegisterWord(0xFE)).isEqualTo(0x5449);
    assertThat(ina.readRegisterWord(0xFF)).isEqualTo(0x2260);
    assertThat(ina.readRegisterWord(0x00)).isEqualTo(0x4127);
    // A single register byte is the word's high byte, unsigned like linuxfs returns it.
    assertThat(ina.readRegister(0xFE)).isEqualTo(0x54);
  }

  @Test
  void readsTheRigsDcPowerWithinOneLsbThroughPi4J() {
    I2C ina = open(1, 0x40);
    ina.writeRegisterWord(0x05, Ina226RegisterMap.calibrationFor(0.01, 0.0002));
    assertThat(ina.readRegisterWord(0x05)).isEqualTo(2560);

    double powerLsbW = 25 * 0.01;
    assertThat(ina.readRegisterWord(0x03) * powerLsbW).isCloseTo(rig.dcPowerW(), within(powerLsbW));

    rig.setPowerTargetW(1500);
    for (int i = 0; i < 200; i++) {
      rig.advance(0.1);
    }
    assertThat(ina.readRegisterWord(0x03) * powerLsbW).isCloseTo(1500 * 0.94, within(powerLsbW));
    assertThat((short) ina.readRegisterWord(0x04) * 0.01)
        .isCloseTo(1500 * 0.94 / 12.0, within(0.01));
  }

  @Test
  void pointerWriteThenPlainReadWorksLikeOnTheWire() {
    I2C ina = open(1, 0x40);
    ina.write((byte) 0x02);
    byte[] word = new byte[2];
    assertThat(ina.read(word, 0, 2)).isEqualTo(2);
    assertThat(((word[0] & 0xFF) << 8) | (word[1] & 0xFF)).isEqualTo(9600);
  }

  @Test
  void absentChipFailsLikeANack() {
    I2C nobody = open(2, 0x40);
    assertThatThrownBy(() -> nobody.readRegisterWord(0xFE))
        .isInstanceOf(Pi4JException.class)
        .hasStackTraceContaining("no acknowledge");
  }

  @Test
  void concurrentReadersNeverSeeAnotherThreadsRegister() throws Exception {
    I2C ina = open(1, 0x40);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int register = t % 2 == 0 ? 0xFE : 0xFF;
        int expected = t % 2 == 0 ? 0x5449 : 0x2260;
        results.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 500; i++) {
                    if (ina.readRegisterWord(register) != expected) {
                      return false;
                    }
                  }
                  return true;
                }));
      }
      for (Future<Boolean> r : results) {
        assertThat(r.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
