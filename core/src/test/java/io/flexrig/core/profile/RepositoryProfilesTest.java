package io.flexrig.core.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The checked-in profiles carry the vendors' figures and the conventions the agent relies on. */
class RepositoryProfilesTest {
  private static ProfileCatalog catalog;

  @BeforeAll
  static void load() throws ProfileException {
    catalog = ProfileCatalog.load(RepoProfiles.dir());
  }

  static List<Path> files() {
    return RepoProfiles.files();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void everyProfileSaysWhereItsFiguresComeFrom(Path file) throws Exception {
    assertThat(Files.readAllLines(file).getFirst()).startsWith("# ");
    String id = file.getFileName().toString().replace(".yaml", "");
    assertThat(catalog.require(id).nameplate().references()).isNotEmpty();
  }

  @Test
  void asicNameplatesMatchTheVendorsSpecSheets() {
    assertNameplate("antminer-s21", 200, 3500, 17.5);
    assertNameplate("whatsminer-m50s", 126, 3276, 26);
    assertNameplate("avalon-a1366", 130, 3250, 25);
    assertNameplate("antminer-s19j-pro", 104, 3068, 29.5);
  }

  private static void assertNameplate(String id, double ths, double watts, double jPerTh) {
    Nameplate n = catalog.require(id).nameplate();
    assertThat(n.hashrateThs()).isEqualTo(ths);
    assertThat(n.powerW()).isEqualTo(watts);
    assertThat(n.efficiencyJPerTh()).isEqualTo(jPerTh);
  }

  @Test
  void asicModelsShareTheSensorRoles() {
    for (HardwareProfile p : catalog.all()) {
      if (p.kind() == RigKind.ASIC_MINER) {
        assertThat(p.sensors())
            .as(p.id())
            .extracting(SensorSpec::role)
            .containsExactlyInAnyOrder("miner_api", "outlet_power", "grid_frequency", "dc_power");
        assertThat(p.sensor("dc_power").orElseThrow().options())
            .containsOnlyKeys("shunt_ohm", "current_lsb_a", "psu_efficiency");
      }
    }
  }

  @Test
  void everyModelReadsTheSimulatedPduOutletAndSiteMeter() {
    for (HardwareProfile p : catalog.all()) {
      assertThat(p.sensor("outlet_power").orElseThrow().address())
          .isEqualTo("opcua:nsu=urn:flexrig:sim;s=PDU.Outlet01.ActivePowerW");
      assertThat(p.sensor("grid_frequency").orElseThrow().address())
          .isEqualTo("opcua:nsu=urn:flexrig:sim;s=Site.Meter.FrequencyHz");
    }
  }

  @Test
  void rtx4090RigRunsOnlyAiWorkAndShedsByPowerLimitSwitchOrRelay() {
    HardwareProfile rig = catalog.require("gpu-rig-8x-rtx4090");

    assertThat(rig.kind()).isEqualTo(RigKind.GPU_RIG);
    assertThat(rig.nameplate().gpuCount()).isEqualTo(8);
    assertThat(rig.nameplate().gpuTdpW()).isEqualTo(450);
    assertThat(rig.powerCurve().outputUnit()).isEqualTo("relative");
    assertThat(rig.sensor("gpu_telemetry").orElseThrow().address()).isEqualTo("nvidia-smi:all");
    assertThat(rig.workloads())
        .allSatisfy(
            w -> {
              assertThat(w.kind()).isEqualTo(WorkloadKind.AI_INFERENCE);
              assertThat(w.api()).startsWith("http://127.0.0.1:").endsWith("/health");
            });
    assertThat(rig.curtailment())
        .extracting(CurtailmentSpec::method)
        .containsExactly(
            CurtailmentMethodKind.GPU_POWER_LIMIT,
            CurtailmentMethodKind.SWITCH_WORKLOAD,
            CurtailmentMethodKind.RELAY_CUT);
  }

  @Test
  void hgxNodeIsCappedAtTheDgxSystemMaximum() {
    HardwareProfile node = catalog.require("hgx-h100-8x");

    assertThat(node.kind()).isEqualTo(RigKind.GPU_NODE);
    assertThat(node.nameplate().gpuCount() * node.nameplate().gpuTdpW()).isEqualTo(5600);
    assertThat(node.limits().maxPowerW()).isEqualTo(10200);
    assertThat(node.powerCurve().outputAt(10200)).isEqualTo(1.0);
    assertThat(node.workloads())
        .singleElement()
        .satisfies(w -> assertThat(w.kind()).isEqualTo(WorkloadKind.AI_INFERENCE));
  }

  @Test
  void gpuCurvesAreOneAtStockPowerAndAsicCurvesHitTheNameplateHashrate() {
    for (HardwareProfile p : catalog.all()) {
      double expected = p.kind() == RigKind.ASIC_MINER ? p.nameplate().hashrateThs() : 1.0;
      assertThat(p.powerCurve().outputAt(p.nameplate().powerW()))
          .as(p.id())
          .isCloseTo(expected, within(expected * 0.02));
    }
  }
}
