package io.flexrig.agent.source.i2c;

import io.flexrig.agent.source.PolledSource;
import io.flexrig.agent.source.Reading;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PMBus power supply (server and miner PSUs with an SMBus header). Reads VOUT_MODE at open for
 * the output voltage's LINEAR16 exponent; each sample reads the telemetry commands in one bus
 * transaction. A command the PSU refuses (not every PSU reports fan speed or input current) makes
 * only its own reading BAD; if every command fails the PSU is gone and the sample fails.
 *
 * <p>Readings: {@code <role>} input power (READ_PIN, W, the wall side), {@code <role>.pout}, {@code
 * <role>.vin}, {@code <role>.iin}, {@code <role>.vout}, {@code <role>.iout}, {@code
 * <role>.temperature} (READ_TEMPERATURE_1), {@code <role>.fan} (READ_FAN_SPEED_1, rpm).
 */
public final class PmbusPsuSource implements PolledSource {
  private static final Logger log = LoggerFactory.getLogger(PmbusPsuSource.class);

  private record Telemetry(int command, String suffix, String unit) {}

  private static final List<Telemetry> LINEAR11 =
      List.of(
          new Telemetry(Pmbus.READ_PIN, "", "W"),
          new Telemetry(Pmbus.READ_POUT, ".pout", "W"),
          new Telemetry(Pmbus.READ_VIN, ".vin", "V"),
          new Telemetry(Pmbus.READ_IIN, ".iin", "A"),
          new Telemetry(Pmbus.READ_IOUT, ".iout", "A"),
          new Telemetry(Pmbus.READ_TEMPERATURE_1, ".temperature", "C"),
          new Telemetry(Pmbus.READ_FAN_SPEED_1, ".fan", "rpm"));

  private final String role;
  private final I2cChip chip;
  private final Clock clock;
  private final Integer voutMode;

  public PmbusPsuSource(String role, I2cChip chip, Clock clock) throws IOException {
    this.role = role;
    this.chip = chip;
    this.clock = clock;
    Integer mode;
    try {
      mode = chip.transaction(c -> c.readByte(Pmbus.VOUT_MODE));
      Pmbus.voutModeExponent(mode);
    } catch (IOException e) {
      chip.close();
      throw new IOException("no PMBus PSU answers at " + chip.address() + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      log.warn("PSU at {}: {}; output voltage will be BAD", chip.address(), e.getMessage());
      mode = null;
    }
    this.voutMode = mode;
  }

  @Override
  public String name() {
    return role;
  }

  @Override
  public List<Reading> sample() throws IOException {
    int[] words = new int[LINEAR11.size() + 1];
    IOException[] failures = new IOException[words.length];
    chip.transaction(
        c -> {
          for (int i = 0; i < LINEAR11.size(); i++) {
            try {
              words[i] = c.readWordSmbus(LINEAR11.get(i).command());
            } catch (IOException | RuntimeException e) {
              failures[i] = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
            }
          }
          try {
            words[LINEAR11.size()] = c.readWordSmbus(Pmbus.READ_VOUT);
          } catch (IOException | RuntimeException e) {
            failures[LINEAR11.size()] =
                e instanceof IOException io ? io : new IOException(e.getMessage(), e);
          }
          return null;
        });
    int failed = 0;
    for (IOException f : failures) {
      failed += f == null ? 0 : 1;
    }
    if (failed == failures.length) {
      throw new IOException("PSU at " + chip.address() + " answers no command", failures[0]);
    }
    Instant at = clock.instant();
    List<Reading> out = new ArrayList<>(words.length);
    for (int i = 0; i < LINEAR11.size(); i++) {
      Telemetry t = LINEAR11.get(i);
      double v = failures[i] == null ? Pmbus.linear11(words[i]) : Double.NaN;
      out.add(reading(role + t.suffix(), v, t.unit(), at));
    }
    double vout =
        failures[LINEAR11.size()] == null && voutMode != null
            ? Pmbus.linear16(words[LINEAR11.size()], voutMode)
            : Double.NaN;
    out.add(reading(role + ".vout", vout, "V", at));
    return out;
  }

  private static Reading reading(String name, double value, String unit, Instant at) {
    return Double.isFinite(value)
        ? Reading.good(name, value, unit, at)
        : Reading.bad(name, unit, at);
  }

  @Override
  public void close() {
    chip.close();
  }

  @Override
  public String toString() {
    return "PmbusPsuSource[" + role + " " + chip.address() + "]";
  }
}
