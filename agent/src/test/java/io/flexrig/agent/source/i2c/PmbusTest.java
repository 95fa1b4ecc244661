package io.flexrig.agent.source.i2c;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Against the data formats of the PMBus specification Part II: LINEAR11 (section 7.3, X = Y x 2^N,
 * N bits 15-11, Y bits 10-0, both two's complement) and LINEAR16 with the VOUT_MODE exponent
 * (section 8.3.1). The words are worked by hand from those definitions.
 */
class PmbusTest {

  @Test
  void linear11MultipliesTheMantissaByTwoToTheExponent() {
    // N = -2 (11110b), Y = 920: 230 V input
    assertThat(Pmbus.linear11(0xF398)).isEqualTo(230.0);
    // N = -3 (11101b), Y = 1000: 125 A
    assertThat(Pmbus.linear11(0xEBE8)).isEqualTo(125.0);
    // N = 1 (00001b), Y = 1000: 2000 W input power
    assertThat(Pmbus.linear11(0x0BE8)).isEqualTo(2000.0);
    // N = 0, Y = 45: 45 °C
    assertThat(Pmbus.linear11(0x002D)).isEqualTo(45.0);
    // N = 4, Y = 600: 9600 rpm
    assertThat(Pmbus.linear11(0x2258)).isEqualTo(9600.0);
  }

  @Test
  void linear11MantissaIsSigned() {
    // N = 0, Y = -1 (11111111111b); N = -1, Y = -1024: -512
    assertThat(Pmbus.linear11(0x07FF)).isEqualTo(-1.0);
    assertThat(Pmbus.linear11(0xFC00)).isEqualTo(-512.0);
  }

  @Test
  void linear16TakesItsExponentFromVoutMode() {
    // VOUT_MODE 0x17: linear mode, N = -9; 12.0 V is 6144 x 2^-9
    assertThat(Pmbus.voutModeExponent(0x17)).isEqualTo(-9);
    assertThat(Pmbus.linear16(0x1800, 0x17)).isEqualTo(12.0);
    // VOUT_MODE 0x14: N = -12; 0x3000 = 12288 x 2^-12 = 3 V
    assertThat(Pmbus.linear16(0x3000, 0x14)).isEqualTo(3.0);
    // linear16 mantissa is unsigned
    assertThat(Pmbus.linear16(0xFFFF, 0x17)).isEqualTo(65535 / 512.0);
  }

  @Test
  void vidAndDirectVoutModesAreRefused() {
    assertThatThrownBy(() -> Pmbus.linear16(0x1800, 0x21)).hasMessageContaining("not linear");
    assertThatThrownBy(() -> Pmbus.linear16(0x1800, 0x40)).hasMessageContaining("mode 2");
  }

  @Test
  void encodersRoundTrip() {
    for (double v : new double[] {230.0, 125.0, 2000.0, 45.0, 9600.0, -1.0, 3012.0, 0.0}) {
      assertThat(Pmbus.linear11(Pmbus.toLinear11(v))).isEqualTo(v);
    }
    assertThat(Pmbus.linear16(Pmbus.toLinear16(12.0, 0x17), 0x17)).isEqualTo(12.0);
  }

  @Test
  void smbusWordsArriveLowByteFirst() {
    assertThat(Pmbus.word((byte) 0x98, (byte) 0xF3)).isEqualTo(0xF398);
  }
}
