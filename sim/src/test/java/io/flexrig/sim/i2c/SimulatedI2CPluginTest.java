package io.flexrig.sim.i2c;

import static org.assertj.core.api.Assertions.assertThat;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.i2c.I2C;
import org.junit.jupiter.api.Test;

class SimulatedI2CPluginTest {

  @Test
  void autoDetectedPluginServesTheSharedBus() {
    SimulatedI2CBus.shared().register(9, 0x41, new Ina226RegisterMap(() -> 120.0, 0.002));
    Context pi4j = Pi4J.newContextBuilder().autoDetectProviders().build();
    try {
      assertThat(pi4j.providers().exists(SimulatedI2CProvider.ID)).isTrue();
      I2C ina =
          pi4j.create(
              I2C.newConfigBuilder(pi4j)
                  .id("shared-ina")
                  .bus(9)
                  .device(0x41)
                  .provider(SimulatedI2CProvider.ID)
                  .build());
      assertThat(ina.readRegisterWord(Ina226RegisterMap.MANUFACTURER_ID)).isEqualTo(0x5449);
    } finally {
      pi4j.shutdown();
      SimulatedI2CBus.shared().unregister(9, 0x41);
    }
  }
}
