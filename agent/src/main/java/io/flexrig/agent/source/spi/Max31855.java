package io.flexrig.agent.source.spi;

import java.util.ArrayList;
import java.util.List;

/**
 * The Maxim MAX31855 thermocouple-to-digital converter's 32-bit SPI frame (datasheet 19-5793,
 * "Memory Map"): bits 31-18 the thermocouple temperature (14-bit two's complement, 0.25 °C), bit 16
 * the fault flag, bits 15-4 the internal (cold junction) temperature (12-bit two's complement,
 * 0.0625 °C), bits 2-0 the faults SCV, SCG and OC. Pure.
 */
public final class Max31855 {
  public static final double THERMOCOUPLE_LSB_C = 0.25;
  public static final double INTERNAL_LSB_C = 0.0625;

  /** The thermocouple is open (no connection). */
  public static final int OC = 0x1;

  /** The thermocouple is short-circuited to GND. */
  public static final int SCG = 0x2;

  /** The thermocouple is short-circuited to VCC. */
  public static final int SCV = 0x4;

  private static final int FAULT = 1 << 16;

  private Max31855() {}

  /**
   * One decoded frame.
   *
   * @param thermocoupleC hot junction temperature; meaningless when {@link #faulty()}
   * @param internalC cold junction (chip) temperature; valid even with a thermocouple fault
   * @param faults the OC/SCG/SCV bits (0 when none)
   * @param faultFlag bit 16, set by the chip whenever a fault bit is
   */
  public record Frame(double thermocoupleC, double internalC, int faults, boolean faultFlag) {

    /** Whether the thermocouple temperature must not be used. */
    public boolean faulty() {
      return faultFlag || faults != 0;
    }

    /** Why the thermocouple reading is bad, for the log and the technician; empty when fine. */
    public String faultReason() {
      if (!faulty()) {
        return "";
      }
      List<String> reasons = new ArrayList<>(3);
      if ((faults & OC) != 0) {
        reasons.add("thermocouple open circuit (OC)");
      }
      if ((faults & SCG) != 0) {
        reasons.add("thermocouple shorted to GND (SCG)");
      }
      if ((faults & SCV) != 0) {
        reasons.add("thermocouple shorted to VCC (SCV)");
      }
      if (reasons.isEmpty()) {
        reasons.add("fault flag set without a fault bit");
      }
      return String.join(", ", reasons);
    }
  }

  public static Frame decode(int frame) {
    int thermocouple = frame >> 18; // arithmetic shift keeps the sign of bit 31
    int internal = (frame << 16) >> 20; // bits 15-4, sign from bit 15
    return new Frame(
        thermocouple * THERMOCOUPLE_LSB_C,
        internal * INTERNAL_LSB_C,
        frame & (OC | SCG | SCV),
        (frame & FAULT) != 0);
  }

  /** The frame from the four bytes clocked out, most significant first. */
  public static int frame(byte[] bytes, int offset) {
    return ((bytes[offset] & 0xFF) << 24)
        | ((bytes[offset + 1] & 0xFF) << 16)
        | ((bytes[offset + 2] & 0xFF) << 8)
        | (bytes[offset + 3] & 0xFF);
  }

  /** Encodes a frame, for simulators: the inverse of {@link #decode} on the LSB grid. */
  public static int encode(double thermocoupleC, double internalC, int faults) {
    int tc = (int) Math.round(thermocoupleC / THERMOCOUPLE_LSB_C) & 0x3FFF;
    int in = (int) Math.round(internalC / INTERNAL_LSB_C) & 0xFFF;
    int f = faults & (OC | SCG | SCV);
    return (tc << 18) | (f != 0 ? FAULT : 0) | (in << 4) | f;
  }
}
