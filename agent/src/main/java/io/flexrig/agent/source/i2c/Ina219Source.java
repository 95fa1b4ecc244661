package io.flexrig.agent.source.i2c;

import io.flexrig.agent.source.PolledSource;
import io.flexrig.agent.source.Reading;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * An INA219 on a DC rail. It has no id register, so the profile's word is taken for what sits at
 * the address; the calibration is written at open and written again whenever it reads back
 * different (the chip forgets it on a brown-out and would then report zero current). A math
 * overflow makes current and power BAD while the bus voltage stays GOOD.
 *
 * <p>Readings as the INA226's: {@code <role>}, {@code <role>.dc}, {@code <role>.bus_voltage},
 * {@code <role>.current}.
 */
public final class Ina219Source implements PolledSource {
  private final String role;
  private final I2cChip chip;
  private final Ina219 ina;
  private final double psuEfficiency;
  private final Clock clock;

  public Ina219Source(String role, I2cChip chip, Ina219 ina, double psuEfficiency, Clock clock)
      throws IOException {
    Ina260Source.checkEfficiency(role, psuEfficiency);
    this.role = role;
    this.chip = chip;
    this.ina = ina;
    this.psuEfficiency = psuEfficiency;
    this.clock = clock;
    try {
      chip.transaction(
          c -> {
            c.writeWordBigEndian(Ina219.REG_CALIBRATION, ina.calibration());
            return null;
          });
    } catch (IOException e) {
      chip.close();
      throw e;
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
            c -> {
              if (c.readWordBigEndian(Ina219.REG_CALIBRATION) != ina.calibration()) {
                c.writeWordBigEndian(Ina219.REG_CALIBRATION, ina.calibration());
              }
              return new int[] {
                c.readWordBigEndian(Ina219.REG_BUS_VOLTAGE),
                c.readWordBigEndian(Ina219.REG_CURRENT),
                c.readWordBigEndian(Ina219.REG_POWER)
              };
            });
    Instant at = clock.instant();
    Reading bus = Reading.good(role + ".bus_voltage", Ina219.busVoltageV(r[0]), "V", at);
    if (Ina219.overflow(r[0])) {
      return List.of(
          Reading.bad(role, "W", at),
          Reading.bad(role + ".dc", "W", at),
          bus,
          Reading.bad(role + ".current", "A", at));
    }
    double dcW = ina.powerW(r[2]);
    return List.of(
        Reading.good(role, dcW / psuEfficiency, "W", at),
        Reading.good(role + ".dc", dcW, "W", at),
        bus,
        Reading.good(role + ".current", ina.currentA(r[1]), "A", at));
  }

  @Override
  public void close() {
    chip.close();
  }

  @Override
  public String toString() {
    return "Ina219Source[" + role + " " + chip.address() + "]";
  }
}
