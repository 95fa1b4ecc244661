package io.flexrig.agent.source.i2c;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Lm75Test {

  /** 9-bit parts: ST STLM75 datasheet (DocID13296), Table 3, 0.5 °C per bit. */
  @Test
  void nineBitTableDecodes() {
    Lm75 lm75 = new Lm75(9);
    assertThat(lm75.celsiusOfData(0x0FA)).isEqualTo(125.0);
    assertThat(lm75.celsiusOfData(0x032)).isEqualTo(25.0);
    assertThat(lm75.celsiusOfData(0x001)).isEqualTo(0.5);
    assertThat(lm75.celsiusOfData(0x000)).isEqualTo(0.0);
    assertThat(lm75.celsiusOfData(0x1FF)).isEqualTo(-0.5);
    assertThat(lm75.celsiusOfData(0x1CE)).isEqualTo(-25.0);
    assertThat(lm75.celsiusOfData(0x1B0)).isEqualTo(-40.0);
    assertThat(lm75.celsiusOfData(0x192)).isEqualTo(-55.0);
  }

  /** 11-bit parts: NXP LM75B datasheet (Rev. 6.1), Table 10 "Temp register value". */
  @Test
  void elevenBitTableDecodes() {
    Lm75 lm75b = new Lm75(11);
    assertThat(lm75b.celsiusOfData(0x3F8)).isEqualTo(127.0);
    assertThat(lm75b.celsiusOfData(0x3E8)).isEqualTo(125.0);
    assertThat(lm75b.celsiusOfData(0x0C8)).isEqualTo(25.0);
    assertThat(lm75b.celsiusOfData(0x001)).isEqualTo(0.125);
    assertThat(lm75b.celsiusOfData(0x7FF)).isEqualTo(-0.125);
    assertThat(lm75b.celsiusOfData(0x738)).isEqualTo(-25.0);
    assertThat(lm75b.celsiusOfData(0x649)).isEqualTo(-54.875);
    assertThat(lm75b.celsiusOfData(0x648)).isEqualTo(-55.0);
  }

  @Test
  void aNineBitReadOfAnElevenBitPartDropsTheExtraBits() {
    // LM75B datasheet: "for 9-bit Temp data ... use only 9 MSB bits": 25.125 °C reads as 25 °C
    int register = 0x0C9 << 5;
    assertThat(new Lm75(11).celsius(register)).isEqualTo(25.125);
    assertThat(new Lm75(9).celsius(register)).isEqualTo(25.0);
    assertThat(new Lm75(10).celsius(register)).isEqualTo(25.0);
  }

  @Test
  void resolutionOutsideTheFamilyIsRejected() {
    assertThatThrownBy(() -> new Lm75(12)).hasMessageContaining("9 to 11");
  }
}
