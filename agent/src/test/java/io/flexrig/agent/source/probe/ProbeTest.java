package io.flexrig.agent.source.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import io.flexrig.agent.TestProfiles;
import io.flexrig.agent.source.SourceContext;
import io.flexrig.agent.source.SourceDrivers;
import io.flexrig.agent.source.i2c.Pi4jI2c;
import io.flexrig.core.profile.SensorSpec;
import io.flexrig.sim.SimulatedRig;
import io.flexrig.sim.cgminer.CgminerApiServer;
import io.flexrig.sim.i2c.SimulatedI2CBus;
import io.flexrig.sim.i2c.SimulatedI2CProvider;
import io.flexrig.sim.i2c.Tmp117RegisterMap;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The probe against a simulated miner and I2C bus, with sensors that work and some that do not. */
@Tag("integration")
class ProbeTest {
  private final SimulatedI2CBus bus = new SimulatedI2CBus();
  private final Context pi4j = Pi4J.newContextBuilder().add(new SimulatedI2CProvider(bus)).build();
  private final SourceContext context =
      SourceContext.builder()
          .service(Pi4jI2c.class, () -> new Pi4jI2c(pi4j, SimulatedI2CProvider.ID))
          .build();
  private final Probe probe = new Probe(SourceDrivers.load(), context, Duration.ofSeconds(1));

  @AfterEach
  void shutdown() {
    context.close();
    pi4j.shutdown();
  }

  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void saysWhatWorksWhatDoesNotAndHowToFixIt() throws Exception {
    bus.register(1, 0x48, new Tmp117RegisterMap(() -> 31.5));
    SimulatedRig rig = new SimulatedRig("rig-1", TestProfiles.s19jPro(), 7);
    try (CgminerApiServer miner = new CgminerApiServer(rig, 0).start()) {
      List<ProbeResult> results =
          probe.run(
              List.of(
                  new SensorSpec("miner_api", "cgminer://127.0.0.1:" + miner.port(), Map.of()),
                  new SensorSpec("inlet_temp", "i2c:1/0x48/tmp117", Map.of()),
                  new SensorSpec(
                      "dc_power",
                      "i2c:1/0x40/ina226",
                      Map.of("shunt_ohm", "0.0002", "current_lsb_a", "0.01")),
                  new SensorSpec("psu_enable", "gpio:27/psu_enable", Map.of()),
                  new SensorSpec("aux_power", "i2c:1/0x45/ina219", Map.of()),
                  new SensorSpec(
                      "gpu_telemetry",
                      "nvidia-smi:all",
                      Map.of("command", "/nonexistent/nvidia-smi")),
                  new SensorSpec("spare_miner", "cgminer://127.0.0.1:" + closedPort(), Map.of())));

      assertThat(results)
          .extracting(ProbeResult::outcome)
          .containsExactly(
              ProbeResult.Outcome.OK,
              ProbeResult.Outcome.OK,
              ProbeResult.Outcome.FAILED,
              ProbeResult.Outcome.SKIPPED,
              ProbeResult.Outcome.SKIPPED,
              ProbeResult.Outcome.FAILED,
              ProbeResult.Outcome.FAILED);
      assertThat(results.get(1).readings().getFirst().value()).isEqualTo(31.5);
      assertThat(results.get(2).fix())
          .as("problem was: %s", results.get(2).problem())
          .contains("i2cdetect -y");
      assertThat(results.get(3).problem()).contains("does not drive it");
      assertThat(results.get(5).fix()).contains("not installed");
      assertThat(results.get(6).fix()).contains("api-allow");

      String table = Probe.table(results);
      assertThat(table).contains("inlet_temp").contains("inlet_temp=31.50C").contains("SKIPPED");
      String json = Probe.json(results);
      assertThat(json).startsWith("[{\"role\":\"miner_api\"").contains("\"result\":\"FAILED\"");
    }
  }

  @Test
  void outputsAndUnidentifiableChipsAreNeverTouched() {
    assertThat(Probe.whySkipped("gpio:18/fan_pwm")).isNotEmpty();
    assertThat(Probe.whySkipped("gpio:27/psu_enable")).isNotEmpty();
    assertThat(Probe.whySkipped("i2c:1/0x40/ina219")).isNotEmpty();
    assertThat(Probe.whySkipped("gpio:17/fan_tach")).isEmpty();
    assertThat(Probe.whySkipped("i2c:1/0x40/ina226")).as("identified by its id first").isEmpty();
  }
}
