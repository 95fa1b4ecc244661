package io.flexrig.agent.source.i2c;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Against the TMP117 datasheet (SNOSD82D), Table 7-1 "16-Bit Temperature Data Format". */
class Tmp117Test {

  @Test
  void everyRowOfTable7Dash1Decodes() {
    assertThat(Tmp117.celsius(0x8000)).isEqualTo(-256.0);
    assertThat(Tmp117.celsius(0xF380)).isEqualTo(-25.0);
    assertThat(Tmp117.celsius(0xFFF0)).isEqualTo(-0.125);
    assertThat(Tmp117.celsius(0xFFFF)).isEqualTo(-0.0078125);
    assertThat(Tmp117.celsius(0x0000)).isEqualTo(0.0);
    assertThat(Tmp117.celsius(0x0001)).isEqualTo(0.0078125);
    assertThat(Tmp117.celsius(0x0010)).isEqualTo(0.125);
    assertThat(Tmp117.celsius(0x0080)).isEqualTo(1.0);
    assertThat(Tmp117.celsius(0x0C80)).isEqualTo(25.0);
    assertThat(Tmp117.celsius(0x3200)).isEqualTo(100.0);
    assertThat(Tmp117.celsius(0x7FFF)).isEqualTo(255.9921875);
  }

  @Test
  void encodingIsTheInverseOfDecoding() {
    assertThat(Tmp117.register(-25)).isEqualTo(0xF380);
    assertThat(Tmp117.register(100)).isEqualTo(0x3200);
  }

  @Test
  void deviceIdIgnoresTheRevisionNibble() {
    assertThat(Tmp117.isTmp117(0x0117)).isTrue();
    assertThat(Tmp117.isTmp117(0x1117)).isTrue();
    assertThat(Tmp117.isTmp117(0x0116)).isFalse();
  }
}
