package io.flexrig.agent.source.i2c;

import io.flexrig.agent.source.PolledSource;
import io.flexrig.agent.source.Reading;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.IntToDoubleFunction;

/**
 * A temperature sensor with one 16-bit big-endian temperature register (TMP117, LM75 family): one
 * reading, {@code <role>} in °C. A register value the chip uses as "no conversion yet" is BAD.
 */
public final class TemperatureSource implements PolledSource {
  private final String role;
  private final I2cChip chip;
  private final int register;
  private final IntToDoubleFunction celsius;
  private final int notConverted;
  private final Clock clock;

  private TemperatureSource(
      String role,
      I2cChip chip,
      int register,
      IntToDoubleFunction celsius,
      int notConverted,
      Clock clock) {
    this.role = role;
    this.chip = chip;
    this.register = register;
    this.celsius = celsius;
    this.notConverted = notConverted;
    this.clock = clock;
  }

  /** A TMP117, identified by its device id register at open. */
  public static TemperatureSource tmp117(String role, I2cChip chip, Clock clock)
      throws IOException {
    try {
      int id = chip.transaction(c -> c.readWordBigEndian(Tmp117.REG_DEVICE_ID));
      if (!Tmp117.isTmp117(id)) {
        throw new IOException(
            String.format("device at %s is not a TMP117: device id 0x%04x", chip.address(), id));
      }
    } catch (IOException e) {
      chip.close();
      throw e;
    }
    return new TemperatureSource(
        role, chip, Tmp117.REG_TEMPERATURE, Tmp117::celsius, Tmp117.NOT_YET_CONVERTED, clock);
  }

  /** An LM75-family part, which has no id register; {@code lm75} gives its resolution. */
  public static TemperatureSource lm75(String role, I2cChip chip, Lm75 lm75, Clock clock) {
    return new TemperatureSource(role, chip, Lm75.REG_TEMPERATURE, lm75::celsius, -1, clock);
  }

  @Override
  public String name() {
    return role;
  }

  @Override
  public List<Reading> sample() throws IOException {
    int raw = chip.transaction(c -> c.readWordBigEndian(register));
    Instant at = clock.instant();
    if (raw == notConverted) {
      return List.of(Reading.bad(role, "C", at));
    }
    return List.of(Reading.good(role, celsius.applyAsDouble(raw), "C", at));
  }

  @Override
  public void close() {
    chip.close();
  }

  @Override
  public String toString() {
    return "TemperatureSource[" + role + " " + chip.address() + "]";
  }
}
