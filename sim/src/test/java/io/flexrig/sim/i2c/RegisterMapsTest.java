package io.flexrig.sim.i2c;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The register maps at the byte level, as a host's I2C transactions see them. */
class RegisterMapsTest {

  private static int readWord(SimulatedI2CDevice chip, int register, boolean bigEndian) {
    chip.write(new byte[] {(byte) register}, 0, 1);
    byte[] b = new byte[2];
    chip.read(b, 0, 2);
    return bigEndian ? ((b[0] & 0xFF) << 8) | (b[1] & 0xFF) : ((b[1] & 0xFF) << 8) | (b[0] & 0xFF);
  }

  @Test
  void ina219ComputesCurrentAndPowerLikeTheDatasheetExample() {
    // SBOS448 Table 3: 10 A through 2 mOhm at 12 V, CAL 20480
    Ina219RegisterMap chip = new Ina219RegisterMap(() -> 10.0, 12.0, 0.002);
    chip.write(new byte[] {0x05, 0x50, 0x00}, 0, 3);
    assertThat(readWord(chip, Ina219RegisterMap.SHUNT_VOLTAGE, true)).isEqualTo(2000);
    assertThat(readWord(chip, Ina219RegisterMap.CURRENT, true)).isEqualTo(10000);
    assertThat(readWord(chip, Ina219RegisterMap.BUS_VOLTAGE, true) >> 3).isEqualTo(3000);
    assertThat(readWord(chip, Ina219RegisterMap.POWER, true)).isEqualTo(6000);

    chip.brownOut();
    assertThat(readWord(chip, Ina219RegisterMap.CURRENT, true)).isZero();
  }

  @Test
  void tmp117ReadsMinus256BeforeItsFirstConversion() {
    Tmp117RegisterMap chip = new Tmp117RegisterMap(() -> 25.0);
    assertThat(readWord(chip, Tmp117RegisterMap.TEMPERATURE, true)).isEqualTo(0x0C80);
    assertThat(readWord(chip, Tmp117RegisterMap.DEVICE_ID, true)).isEqualTo(0x0117);
    chip.converting(false);
    assertThat(readWord(chip, Tmp117RegisterMap.TEMPERATURE, true)).isEqualTo(0x8000);
  }

  @Test
  void lm75LeftJustifiesAtItsResolution() {
    assertThat(readWord(new Lm75RegisterMap(() -> 25.0, 9), 0, true)).isEqualTo(0x1900);
    assertThat(readWord(new Lm75RegisterMap(() -> -0.125, 11), 0, true)).isEqualTo(0xFFE0);
  }

  @Test
  void pmbusPsuAnswersInLinear11LowByteFirstAndRefusesWhatItLacks() {
    PmbusPsu psu = new PmbusPsu(() -> 2000.0, 0.8, Set.of(PmbusPsu.READ_IIN));
    int pin = readWord(psu, PmbusPsu.READ_PIN, false);
    int exponent = (pin << 16) >> 27;
    int mantissa = ((pin & 0x7FF) << 21) >> 21;
    assertThat(mantissa * Math.pow(2, exponent)).isEqualTo(2500.0);
    assertThat(readWord(psu, PmbusPsu.READ_VOUT, false)).isEqualTo(12 * 512);
    assertThatThrownBy(() -> readWord(psu, PmbusPsu.READ_IIN, false))
        .hasMessageContaining("not acknowledged");
  }
}
