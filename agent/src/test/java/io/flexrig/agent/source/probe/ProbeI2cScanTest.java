package io.flexrig.agent.source.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import io.flexrig.agent.source.SourceContext;
import io.flexrig.agent.source.SourceDrivers;
import io.flexrig.agent.source.i2c.I2cScan;
import io.flexrig.agent.source.i2c.Pi4jI2c;
import io.flexrig.sim.i2c.Ina219RegisterMap;
import io.flexrig.sim.i2c.Ina226RegisterMap;
import io.flexrig.sim.i2c.Ina260RegisterMap;
import io.flexrig.sim.i2c.Lm75RegisterMap;
import io.flexrig.sim.i2c.PmbusPsu;
import io.flexrig.sim.i2c.SimulatedI2CBus;
import io.flexrig.sim.i2c.SimulatedI2CDevice;
import io.flexrig.sim.i2c.SimulatedI2CProvider;
import io.flexrig.sim.i2c.Tmp117RegisterMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probe's I2C scan against the simulator's buses, through Pi4J and its provider. */
class ProbeI2cScanTest {
  private static final Set<Integer> ID_REGISTERS = Set.of(0xFE, 0xFF, 0x0F, 0x98, 0x99);

  private final SimulatedI2CBus bus = new SimulatedI2CBus();
  private final Context pi4j = Pi4J.newContextBuilder().add(new SimulatedI2CProvider(bus)).build();
  private final SourceContext context =
      SourceContext.builder()
          .service(Pi4jI2c.class, () -> new Pi4jI2c(pi4j, SimulatedI2CProvider.ID))
          .build();
  private final Probe probe = new Probe(SourceDrivers.load(), context, Duration.ofSeconds(1));

  /** Every write transaction any device saw, as bytes. */
  private final List<byte[]> writes = new CopyOnWriteArrayList<>();

  @AfterEach
  void shutdown() {
    context.close();
    pi4j.shutdown();
  }

  private void place(int busNumber, int address, SimulatedI2CDevice device) {
    bus.register(
        busNumber,
        address,
        new SimulatedI2CDevice() {
          @Override
          public void write(byte[] data, int offset, int length) {
            writes.add(Arrays.copyOfRange(data, offset, offset + length));
            device.write(data, offset, length);
          }

          @Override
          public int read(byte[] buffer, int offset, int length) {
            return device.read(buffer, offset, length);
          }
        });
  }

  @Test
  void identifiesChipsByTheirIdRegistersAndNeverWritesARegister() throws Exception {
    place(1, 0x40, new Ina226RegisterMap(() -> 3200, 0.0002));
    place(1, 0x41, new Ina260RegisterMap(() -> 120, 12.0));
    place(1, 0x44, new Ina219RegisterMap(() -> 2.0, 12.0, 0.1));
    place(1, 0x48, new Tmp117RegisterMap(() -> 25.0));
    place(1, 0x4D, new Lm75RegisterMap(() -> 31.0, 9));
    place(1, 0x58, new PmbusPsu(() -> 3000, 0.94, Set.of()));
    place(3, 0x4A, new Tmp117RegisterMap(() -> 40.0));

    I2cScan.Result scan = probe.scanI2c(() -> List.of(1, 3));

    assertThat(scan.buses()).containsExactly(1, 3);
    assertThat(scan.devices())
        .extracting(d -> d.bus() + "/" + Integer.toHexString(d.address()) + "/" + d.chip())
        .containsExactly(
            "1/40/ina226",
            "1/41/ina260",
            "1/44/",
            "1/48/tmp117",
            "1/4d/",
            "1/58/pmbus",
            "3/4a/tmp117");
    assertThat(scan.devices().get(0).detail()).contains("0xFE=0x5449").contains("0xFF=0x2260");
    assertThat(scan.devices().get(0).sensorAddress()).isEqualTo("i2c:1/0x40/ina226");
    assertThat(scan.devices().get(2).detail()).contains("unidentified").contains("INA219");
    assertThat(scan.devices().get(4).detail()).contains("answers, unidentified").contains("LM75");
    assertThat(scan.devices().get(5).detail()).contains("PMBUS_REVISION").contains("MFR_ID");

    // Register pointers to id registers only; a longer write would change a register.
    assertThat(writes).isNotEmpty().allSatisfy(w -> assertThat(w).hasSize(1));
    assertThat(writes).allSatisfy(w -> assertThat(ID_REGISTERS).contains(w[0] & 0xFF));

    String table = Probe.scanTable(scan);
    assertThat(table).contains("I2C buses: [1, 3]").contains("i2c:1/0x48/tmp117").contains("0x4d");
    String json = Probe.json(List.of(), scan);
    assertThat(json)
        .startsWith("{\"sensors\":[],\"i2c\":{\"buses\":[1,3]")
        .contains("{\"bus\":1,\"address\":\"0x4d\",\"chip\":null")
        .contains("\"sensor_address\":\"i2c:3/0x4a/tmp117\"");
  }

  @Test
  void anEmptyBusListsNoDevices() throws Exception {
    I2cScan.Result scan = probe.scanI2c(() -> List.of(2));

    assertThat(scan.buses()).containsExactly(2);
    assertThat(scan.devices()).isEmpty();
    assertThat(writes).isEmpty();
  }

  @Test
  void linuxBusesAreTheI2cDeviceNodes(@TempDir Path dev) throws Exception {
    Files.createFile(dev.resolve("i2c-10"));
    Files.createFile(dev.resolve("i2c-1"));
    Files.createFile(dev.resolve("i2c-dev-notes"));
    Files.createFile(dev.resolve("spidev0.0"));

    assertThat(I2cScan.BusList.devDirectory(dev).buses()).containsExactly(1, 10);
    assertThat(I2cScan.BusList.devDirectory(dev.resolve("missing")).buses()).isEmpty();
  }
}
