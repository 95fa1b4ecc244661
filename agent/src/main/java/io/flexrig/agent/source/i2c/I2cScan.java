package io.flexrig.agent.source.i2c;

import com.pi4j.io.i2c.I2C;
import com.pi4j.io.i2c.I2CConfig;
import com.pi4j.io.i2c.I2CProvider;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The probe's I2C scan: on each bus, at the addresses where the supported chips live, finds what
 * answers and identifies it by its read-only identification registers only. Presence is a plain
 * read (no write at all, like {@code i2cdetect -r}); identification selects an id register and
 * reads it (like {@code i2cget}): INA226/INA260 manufacturer 0xFE = 0x5449 and die id 0xFF, TMP117
 * device id 0x0F, PMBus PMBUS_REVISION 0x98 and MFR_ID 0x99. No register is ever written, so no
 * configuration, calibration or output of any chip changes. An LM75 or INA219 has no id register:
 * it is reported as answering, unidentified.
 */
public final class I2cScan {

  /** INA2xx power monitors: A0/A1 straps give 0x40 to 0x4F. */
  static final int INA_FIRST = 0x40;

  static final int INA_LAST = 0x4F;

  /** TMP117: 0x48 to 0x4B; LM75 family: 0x48 to 0x4F. */
  static final int TMP117_FIRST = 0x48;

  static final int TMP117_LAST = 0x4B;

  /** The usual PMBus PSU addresses (A0..A2 straps on 0x58). */
  static final int PMBUS_FIRST = 0x58;

  static final int PMBUS_LAST = 0x5F;

  private static final int TI_MANUFACTURER_ID = 0xFE;
  private static final int TI_DIE_ID = 0xFF;
  private static final int TEXAS_INSTRUMENTS = 0x5449;
  private static final int INA226_DIE = 0x2260;
  private static final int INA260_DIE = 0x2270;
  private static final int TMP117_DEVICE_ID = 0x0F;
  private static final int TMP117_ID = 0x117;
  private static final int PMBUS_REVISION = 0x98;
  private static final int MFR_ID = 0x99;
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  /**
   * A device that answered.
   *
   * @param bus the bus number
   * @param address the 7-bit address
   * @param chip the address's chip name ({@code ina226}, {@code ina260}, {@code tmp117}, {@code
   *     pmbus}), empty when unidentified
   * @param detail what identified it (register values), or why it could not be
   */
  public record Device(int bus, int address, String chip, String detail) {
    /** True when an id register named the chip. */
    public boolean identified() {
      return !chip.isEmpty();
    }

    /** The sensor address for a profile, e.g. {@code i2c:1/0x40/ina226}; empty if unidentified. */
    public String sensorAddress() {
      return identified() ? String.format(Locale.ROOT, "i2c:%d/0x%02x/%s", bus, address, chip) : "";
    }
  }

  /**
   * The buses to scan, and what was found on each.
   *
   * @param buses the bus numbers found
   * @param devices the devices that answered, by bus then address
   */
  public record Result(List<Integer> buses, List<Device> devices) {
    public Result {
      buses = List.copyOf(buses);
      devices = List.copyOf(devices);
    }
  }

  /** Where the bus numbers come from: {@code /dev/i2c-N} on Linux, a fixed list in tests. */
  @FunctionalInterface
  public interface BusList {
    List<Integer> buses() throws IOException;

    /** The {@code i2c-N} device nodes in {@code /dev}. */
    static BusList linux() {
      return devDirectory(Path.of("/dev"));
    }

    /** The {@code i2c-N} device nodes in a directory, sorted by number. */
    static BusList devDirectory(Path dev) {
      return () -> {
        Pattern name = Pattern.compile("i2c-(\\d+)");
        List<Integer> out = new ArrayList<>();
        if (!Files.isDirectory(dev)) {
          return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dev, "i2c-*")) {
          for (Path f : files) {
            Matcher m = name.matcher(f.getFileName().toString());
            if (m.matches()) {
              out.add(Integer.parseInt(m.group(1)));
            }
          }
        }
        out.sort(null);
        return out;
      };
    }
  }

  private final Pi4jI2c pi4j;
  private final BusList busList;
  private final IntFunction<Lock> busLocks;
  private final Duration busTimeout;

  /**
   * @param pi4j the Pi4J context and I2C provider
   * @param busList where the bus numbers come from
   * @param busLocks the lock of each bus, shared with the sensors on it
   * @param busTimeout how long to wait for a bus
   */
  public I2cScan(Pi4jI2c pi4j, BusList busList, IntFunction<Lock> busLocks, Duration busTimeout) {
    this.pi4j = pi4j;
    this.busList = busList;
    this.busLocks = busLocks;
    this.busTimeout = busTimeout;
  }

  /** The addresses scanned on each bus, in order. */
  static List<Integer> candidateAddresses() {
    List<Integer> out = new ArrayList<>();
    for (int a = INA_FIRST; a <= INA_LAST; a++) {
      out.add(a);
    }
    for (int a = PMBUS_FIRST; a <= PMBUS_LAST; a++) {
      out.add(a);
    }
    return out;
  }

  /** Scans every bus; a bus that cannot be opened is skipped, the others are still scanned. */
  public Result scan() throws IOException {
    List<Integer> buses = busList.buses();
    List<Device> found = new ArrayList<>();
    for (int bus : buses) {
      for (int address : candidateAddresses()) {
        Device d = probe(bus, address);
        if (d != null) {
          found.add(d);
        }
      }
    }
    return new Result(buses, found);
  }

  private Device probe(int bus, int address) throws IOException {
    Lock lock = busLocks.apply(bus);
    try {
      if (!lock.tryLock(busTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new IOException("I2C bus " + bus + " busy for more than " + busTimeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted waiting for I2C bus " + bus);
    }
    I2C i2c = null;
    try {
      i2c = open(bus, address);
      if (!answers(i2c)) {
        return null;
      }
      return identify(bus, address, new Pi4jIdRegisters(i2c));
    } catch (RuntimeException e) {
      return null; // the bus or address cannot be opened: nothing answers there
    } finally {
      if (i2c != null) {
        try {
          pi4j.pi4j().shutdown(i2c.id());
        } catch (RuntimeException e) {
          // already gone
        }
      }
      lock.unlock();
    }
  }

  private I2C open(int bus, int address) {
    I2CConfig config =
        I2C.newConfigBuilder(pi4j.pi4j())
            .id("flexrig-i2c-scan-" + bus + "-" + address + "-" + INSTANCES.incrementAndGet())
            .name("probe scan")
            .bus(bus)
            .device(address)
            .provider(pi4j.providerId())
            .build();
    return pi4j.pi4j().provider(pi4j.providerId(), I2CProvider.class).create(config);
  }

  /** A plain read: a chip that acknowledges its address answers; nothing is written. */
  private static boolean answers(I2C i2c) {
    try {
      i2c.read();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Reads of identification registers; empty when the chip does not acknowledge the register. */
  interface IdRegisters {
    OptionalInt wordBigEndian(int register);

    OptionalInt smbusByte(int command);

    /** An SMBus block read: the count byte, then that many bytes, as ASCII. */
    String smbusBlock(int command);
  }

  /** Identifies the chip at an address that answered, from its id registers only. */
  static Device identify(int bus, int address, IdRegisters regs) {
    if (address >= INA_FIRST && address <= INA_LAST) {
      OptionalInt manufacturer = regs.wordBigEndian(TI_MANUFACTURER_ID);
      if (manufacturer.isPresent() && manufacturer.getAsInt() == TEXAS_INSTRUMENTS) {
        OptionalInt die = regs.wordBigEndian(TI_DIE_ID);
        String dieText = die.isPresent() ? hex4(die.getAsInt()) : "no answer";
        String chip =
            die.isPresent() && die.getAsInt() == INA226_DIE
                ? "ina226"
                : die.isPresent() && die.getAsInt() == INA260_DIE ? "ina260" : "";
        return new Device(
            bus,
            address,
            chip,
            "manufacturer 0xFE=0x5449 (TI), die id 0xFF="
                + dieText
                + (chip.isEmpty() ? " (a TI part the agent does not know)" : ""));
      }
      if (address >= TMP117_FIRST && address <= TMP117_LAST) {
        OptionalInt id = regs.wordBigEndian(TMP117_DEVICE_ID);
        if (id.isPresent() && (id.getAsInt() & 0x0FFF) == TMP117_ID) {
          return new Device(
              bus, address, "tmp117", "device id 0x0F=" + hex4(id.getAsInt()) + " (TMP117)");
        }
      }
      return new Device(
          bus,
          address,
          "",
          address >= TMP117_FIRST
              ? "answers, unidentified (an LM75-family sensor or INA219 has no id register)"
              : "answers, unidentified (an INA219 has no id register)");
    }
    OptionalInt revision = regs.smbusByte(PMBUS_REVISION);
    if (revision.isEmpty()) {
      return new Device(bus, address, "", "answers, unidentified (no PMBUS_REVISION)");
    }
    int r = revision.getAsInt();
    String manufacturer = regs.smbusBlock(MFR_ID);
    return new Device(
        bus,
        address,
        "pmbus",
        String.format(
            Locale.ROOT, "PMBUS_REVISION 0x98=0x%02X, MFR_ID 0x99='%s'", r, manufacturer));
  }

  private static String hex4(int v) {
    return String.format(Locale.ROOT, "0x%04X", v & 0xFFFF);
  }

  /** The id reads over one Pi4J device: register pointer, then read; never a register write. */
  private static final class Pi4jIdRegisters implements IdRegisters {
    private final I2C i2c;

    Pi4jIdRegisters(I2C i2c) {
      this.i2c = i2c;
    }

    @Override
    public OptionalInt wordBigEndian(int register) {
      byte[] b = new byte[2];
      try {
        if (i2c.readRegister(register, b, 0, 2) != 2) {
          return OptionalInt.empty();
        }
        return OptionalInt.of(((b[0] & 0xFF) << 8) | (b[1] & 0xFF));
      } catch (RuntimeException e) {
        return OptionalInt.empty();
      }
    }

    @Override
    public OptionalInt smbusByte(int command) {
      byte[] b = new byte[1];
      try {
        if (i2c.readRegister(command, b, 0, 1) != 1) {
          return OptionalInt.empty();
        }
        return OptionalInt.of(b[0] & 0xFF);
      } catch (RuntimeException e) {
        return OptionalInt.empty();
      }
    }

    @Override
    public String smbusBlock(int command) {
      byte[] b = new byte[33]; // count byte plus the SMBus maximum of 32
      try {
        int n = i2c.readRegister(command, b, 0, b.length);
        int count = Math.min(b[0] & 0xFF, Math.min(32, n - 1));
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= count; i++) {
          char c = (char) (b[i] & 0xFF);
          sb.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return sb.toString();
      } catch (RuntimeException e) {
        return "";
      }
    }
  }
}
