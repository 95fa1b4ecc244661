package io.flexrig.agent.source.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Against the MAX31855 datasheet (19-5793): Table 2 "Thermocouple Temperature Data Format"
 * (14-bit), Table 4 "Cold-Junction Temperature Data Format" (12-bit), Table 3 "Memory Map".
 */
class Max31855Test {

  private static int thermocouple(int fourteenBits) {
    return fourteenBits << 18;
  }

  private static int internal(int twelveBits) {
    return twelveBits << 4;
  }

  @Test
  void thermocoupleRowsOfTable2Decode() {
    assertThat(Max31855.decode(thermocouple(0b01_1001_0000_0000)).thermocoupleC())
        .isEqualTo(1600.0);
    assertThat(Max31855.decode(thermocouple(0b00_1111_1010_0000)).thermocoupleC())
        .isEqualTo(1000.0);
    assertThat(Max31855.decode(thermocouple(0b00_0001_1001_0011)).thermocoupleC())
        .isEqualTo(100.75);
    assertThat(Max31855.decode(thermocouple(0b00_0000_0110_0100)).thermocoupleC()).isEqualTo(25.0);
    assertThat(Max31855.decode(thermocouple(0)).thermocoupleC()).isEqualTo(0.0);
    assertThat(Max31855.decode(thermocouple(0b11_1111_1111_1111)).thermocoupleC()).isEqualTo(-0.25);
    assertThat(Max31855.decode(thermocouple(0b11_1111_1111_1100)).thermocoupleC()).isEqualTo(-1.0);
    assertThat(Max31855.decode(thermocouple(0b11_1100_0001_1000)).thermocoupleC())
        .isEqualTo(-250.0);
  }

  @Test
  void coldJunctionRowsOfTable4Decode() {
    assertThat(Max31855.decode(internal(0x7F0)).internalC()).isEqualTo(127.0);
    assertThat(Max31855.decode(internal(0x649)).internalC()).isEqualTo(100.5625);
    assertThat(Max31855.decode(internal(0x190)).internalC()).isEqualTo(25.0);
    assertThat(Max31855.decode(internal(0xFFF)).internalC()).isEqualTo(-0.0625);
    assertThat(Max31855.decode(internal(0xFF0)).internalC()).isEqualTo(-1.0);
    assertThat(Max31855.decode(internal(0xEC0)).internalC()).isEqualTo(-20.0);
    assertThat(Max31855.decode(internal(0xC90)).internalC()).isEqualTo(-55.0);
  }

  @Test
  void bothTemperaturesComeFromOneFrame() {
    // 100.75 °C on the thermocouple, 25 °C at the chip, no fault
    Max31855.Frame f = Max31855.decode(0x064C_1900);
    assertThat(f.thermocoupleC()).isEqualTo(100.75);
    assertThat(f.internalC()).isEqualTo(25.0);
    assertThat(f.faulty()).isFalse();
    assertThat(f.faultReason()).isEmpty();
  }

  @Test
  void faultBitsMakeTheThermocoupleReadingBadAndSayWhy() {
    Max31855.Frame open = Max31855.decode(0x0001_1901);
    assertThat(open.faulty()).isTrue();
    assertThat(open.faultReason()).isEqualTo("thermocouple open circuit (OC)");
    assertThat(open.internalC()).as("the chip temperature stays valid").isEqualTo(25.0);

    assertThat(Max31855.decode(0x0001_0002).faultReason()).contains("GND (SCG)");
    assertThat(Max31855.decode(0x0001_0004).faultReason()).contains("VCC (SCV)");
    assertThat(Max31855.decode(0x0001_0006).faultReason()).contains("SCG").contains("SCV");
    assertThat(Max31855.decode(0x0001_0000).faultReason()).contains("without a fault bit");
  }

  @Test
  void framesAreClockedOutMostSignificantByteFirst() {
    byte[] bytes = {0x06, 0x4C, 0x19, 0x00};
    assertThat(Max31855.frame(bytes, 0)).isEqualTo(0x064C_1900);
  }

  @Test
  void encodingIsTheInverseOfDecoding() {
    Max31855.Frame f = Max31855.decode(Max31855.encode(-250.0, -20.0, Max31855.SCG));
    assertThat(f.thermocoupleC()).isEqualTo(-250.0);
    assertThat(f.internalC()).isEqualTo(-20.0);
    assertThat(f.faults()).isEqualTo(Max31855.SCG);
    assertThat(f.faultFlag()).isTrue();
  }
}
