package io.flexrig.agent.source.i2c;

import io.flexrig.agent.source.PolledSource;
import io.flexrig.agent.source.Reading;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * An INA260 (integrated shunt, fixed LSBs) on the rig's DC rail. Checks the manufacturer and die id
 * at open; each sample reads bus voltage, current and power in one bus transaction.
 *
 * <p>Readings as the INA226's: {@code <role>} the estimated wall power (DC / psu_efficiency),
 * {@code <role>.dc}, {@code <role>.bus_voltage}, {@code <role>.current}.
 */
public final class Ina260Source implements PolledSource {
  private final String role;
  private final I2cChip chip;
  private final double psuEfficiency;
  private final Clock clock;

  public Ina260Source(String role, I2cChip chip, double psuEfficiency, Clock clock)
      throws IOException {
    checkEfficiency(role, psuEfficiency);
    this.role = role;
    this.chip = chip;
    this.psuEfficiency = psuEfficiency;
    this.clock = clock;
    try {
      chip.transaction(
          c -> {
            int manufacturer = c.readWordBigEndian(Ina260.REG_MANUFACTURER_ID);
            int die = c.readWordBigEndian(Ina260.REG_DIE_ID);
            if (manufacturer != Ina260.MANUFACTURER_ID_TI || !Ina260.isIna260(die)) {
              throw new IOException(
                  String.format(
                      "device at %s is not an INA260: manufacturer 0x%04x, die id 0x%04x",
                      c.address(), manufacturer, die));
            }
            return null;
          });
    } catch (IOException e) {
      chip.close();
      throw e;
    }
  }

  static void checkEfficiency(String role, double psuEfficiency) {
    if (!(psuEfficiency > 0 && psuEfficiency <= 1)) {
      throw new IllegalArgumentException(
          "sensor '" + role + "': psu_efficiency must be in (0, 1]: " + psuEfficiency);
    }
  }

  @Override
  public String name() {
    return role;
  }

  @Override
  public List<Reading> sample() throws IOException {
    int[] r =
        chip.transaction(
            c ->
                new int[] {
                  c.readWordBigEndian(Ina260.REG_BUS_VOLTAGE),
                  c.readWordBigEndian(Ina260.REG_CURRENT),
                  c.readWordBigEndian(Ina260.REG_POWER)
                });
    Instant at = clock.instant();
    double dcW = Ina260.powerW(r[2]);
    return List.of(
        Reading.good(role, dcW / psuEfficiency, "W", at),
        Reading.good(role + ".dc", dcW, "W", at),
        Reading.good(role + ".bus_voltage", Ina260.busVoltageV(r[0]), "V", at),
        Reading.good(role + ".current", Ina260.currentA(r[1]), "A", at));
  }

  @Override
  public void close() {
    chip.close();
  }

  @Override
  public String toString() {
    return "Ina260Source[" + role + " " + chip.address() + "]";
  }
}
