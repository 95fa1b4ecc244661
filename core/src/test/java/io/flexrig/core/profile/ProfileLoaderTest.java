package io.flexrig.core.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileLoaderTest {

  private static String exemplar() throws IOException {
    return Files.readString(RepoProfiles.dir().resolve("antminer-s19j-pro.yaml"));
  }

  private static List<ProfileError> errorsOf(String sourceName, String yaml) {
    ProfileException e =
        catchThrowableOfType(ProfileException.class, () -> ProfileLoader.load(sourceName, yaml));
    assertThat(e).as("expected %s to be rejected", sourceName).isNotNull();
    return e.errors();
  }

  @Test
  void exemplarMapsSnakeCaseKeysOntoTheRecords() throws Exception {
    HardwareProfile p = ProfileLoader.load(RepoProfiles.dir().resolve("antminer-s19j-pro.yaml"));

    assertThat(p.id()).isEqualTo("antminer-s19j-pro");
    assertThat(p.kind()).isEqualTo(RigKind.ASIC_MINER);
    assertThat(p.nameplate().powerW()).isEqualTo(3068);
    assertThat(p.nameplate().efficiencyJPerTh()).isEqualTo(29.5);
    assertThat(p.powerCurve().outputAt(3068)).isEqualTo(104);
    assertThat(p.limits().chipTempC()).isEqualTo(new TemperatureLimit(85, 95));
    assertThat(p.limits().minPowerTargetW()).isEqualTo(1500);
    assertThat(p.thermal().timeConstantS()).isEqualTo(40);
    assertThat(p.sensor("dc_power").orElseThrow().options())
        .containsEntry("shunt_ohm", "0.0002")
        .containsEntry("psu_efficiency", "0.94");
    assertThat(p.workloads())
        .singleElement()
        .extracting(WorkloadSpec::kind)
        .isEqualTo(WorkloadKind.MINING);
    assertThat(p.curtailment(CurtailmentMethodKind.SLEEP).orElseThrow().latencyS()).isEqualTo(10);
    assertThat(p.source()).endsWith("antminer-s19j-pro.yaml");
  }

  @Test
  void errorNamesFileLineAndFieldInItsText() throws Exception {
    String yaml = exemplar().replace("ambient_c: 25", "ambient_c: warm");

    ProfileError error = errorsOf("profiles/antminer-s19j-pro.yaml", yaml).getFirst();

    int line = lineOf(yaml, "ambient_c: warm");
    assertThat(error.toString())
        .isEqualTo(
            "profiles/antminer-s19j-pro.yaml:"
                + line
                + ": thermal.ambient_c: expected a number, got text \"warm\"");
  }

  @Test
  void misspeltKeyFarFromEveryKnownKeyListsTheKnownKeys() throws Exception {
    String yaml = exemplar().replace("thermal:\n", "thermal:\n  colour: blue\n");

    List<ProfileError> errors = errorsOf("antminer-s19j-pro.yaml", yaml);

    assertThat(errors)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.field()).isEqualTo("thermal.colour");
              assertThat(e.message())
                  .contains(
                      "known keys: ambient_c, board_rise_c_per_kw, chip_rise_c_per_kw,"
                          + " time_constant_s")
                  .doesNotContain("did you mean");
            });
  }

  @Test
  void misspeltTopLevelSectionIsSuggestedAndItsAbsenceReported() throws Exception {
    String yaml = exemplar().replace("curtailment:\n", "curtailmnet:\n");

    List<ProfileError> errors = errorsOf("antminer-s19j-pro.yaml", yaml);

    assertThat(errors)
        .extracting(ProfileError::field)
        .containsExactlyInAnyOrder("curtailmnet", "curtailment");
    assertThat(errors)
        .filteredOn(e -> e.field().equals("curtailmnet"))
        .singleElement()
        .extracting(ProfileError::message)
        .asString()
        .contains("did you mean 'curtailment'?");
  }

  @Test
  void missingTopLevelSectionPointsAtTheRootMapping() throws Exception {
    String yaml = exemplar();
    String withoutThermal =
        yaml.substring(0, yaml.indexOf("thermal:")) + yaml.substring(yaml.indexOf("sensors:"));

    assertThat(errorsOf("antminer-s19j-pro.yaml", withoutThermal))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.field()).isEqualTo("thermal");
              assertThat(e.line()).isEqualTo(lineOf(yaml, "id: antminer-s19j-pro"));
            });
  }

  @Test
  void idIsCheckedOnlyWhenTheSourceIsAYamlFileName() throws Exception {
    HardwareProfile p = ProfileLoader.load("inline test profile", exemplar());

    assertThat(p.id()).isEqualTo("antminer-s19j-pro");
    assertThat(errorsOf("config/other-model.yaml", exemplar()))
        .singleElement()
        .extracting(ProfileError::message)
        .asString()
        .contains("('other-model')");
  }

  @Test
  void emptyFileIsReportedNotReturnedAsAnEmptyProfile() {
    assertThat(errorsOf("empty.yaml", "# only a comment\n"))
        .singleElement()
        .extracting(ProfileError::field)
        .isEqualTo(ProfileLoader.FILE_FIELD);
  }

  @Test
  void documentThatIsNotAMappingIsReported() {
    assertThat(errorsOf("list.yaml", "- a\n- b\n"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.line()).isEqualTo(1);
              assertThat(e.message()).contains("expected a mapping, got a list");
            });
  }

  @Test
  void unreadableFileIsReportedAtLineZero(@TempDir Path dir) {
    Path missing = dir.resolve("nowhere.yaml");

    ProfileException e =
        catchThrowableOfType(ProfileException.class, () -> ProfileLoader.load(missing));

    assertThat(e.errors())
        .singleElement()
        .satisfies(
            err -> {
              assertThat(err.line()).isZero();
              assertThat(err.file()).isEqualTo(missing.toString());
            });
  }

  @Test
  void syntaxErrorSaysWhereTheUnclosedConstructBegan() throws Exception {
    String yaml =
        exemplar().replace("{ power_w: 2000, output: 78 }", "{ power_w: 2000, output: 78");

    ProfileError e = errorsOf("antminer-s19j-pro.yaml", yaml).getFirst();

    assertThat(e.field()).isEqualTo(ProfileLoader.SYNTAX_FIELD);
    assertThat(e.message()).contains("started at line " + lineOf(yaml, "power_w: 2000"));
  }

  @Test
  void controlCharacterIsReportedOnTheLineWhereItSits() throws Exception {
    // Found by the fuzzer: a file ending in NUL bytes (a write cut short) was reported at line 0.
    String damaged = exemplar().replaceFirst("\n  min_on_s:", "\n  min_on_s:\u0000");

    List<ProfileError> errors = errorsOf("damaged.yaml", damaged);

    assertThat(errors)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.line()).isEqualTo(lineOf(damaged, "min_on_s"));
              assertThat(e.field()).isEqualTo(ProfileLoader.SYNTAX_FIELD);
              assertThat(e.message()).contains("U+0000");
            });
  }

  @Test
  void quotedNumberIsAWrongTypeNotSilentlyConverted() throws Exception {
    String yaml = exemplar().replace("min_fan_rpm: 1500", "min_fan_rpm: \"1500\"");

    assertThat(errorsOf("antminer-s19j-pro.yaml", yaml))
        .singleElement()
        .extracting(ProfileError::message)
        .isEqualTo("expected a number, got text \"1500\"");
  }

  @Test
  void gpuMachineRefusesMiningWorkloadAndMinerKnobs() throws Exception {
    String yaml =
        Files.readString(RepoProfiles.dir().resolve("hgx-h100-8x.yaml"))
            .replace("kind: AI_INFERENCE", "kind: MINING")
            .replace("method: SLEEP", "method: POWER_TARGET");

    assertThat(errorsOf("hgx-h100-8x.yaml", yaml))
        .extracting(ProfileError::field)
        .containsExactlyInAnyOrder(
            "workloads[0].kind",
            "workloads[0].api",
            "curtailment[1].method",
            "curtailment[1].min_power_w");
  }

  @Test
  void gpuMachineMustCountItsGpus() throws Exception {
    String yaml =
        Files.readString(RepoProfiles.dir().resolve("hgx-h100-8x.yaml"))
            .replace("  gpu_count: 8\n", "");

    assertThat(errorsOf("hgx-h100-8x.yaml", yaml))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.field()).isEqualTo("nameplate.gpu_count");
              assertThat(e.message()).contains("required");
            });
  }

  @Test
  void switchWorkloadNeedsTwoWorkloadsToSwitchBetween() throws Exception {
    String yaml = Files.readString(RepoProfiles.dir().resolve("gpu-rig-8x-rtx4090.yaml"));
    String oneWorkload =
        yaml.substring(0, yaml.indexOf("  - name: batch-inference"))
            + yaml.substring(yaml.indexOf("curtailment:"));

    assertThat(errorsOf("gpu-rig-8x-rtx4090.yaml", oneWorkload))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.field()).isEqualTo("curtailment[1].method");
              assertThat(e.message()).contains("at least two workloads");
            });
  }

  @Test
  void workloadsCarryTheirDrainAndHoldAndDefaultThemWhenAbsent() throws Exception {
    String yaml = Files.readString(RepoProfiles.dir().resolve("gpu-rig-8x-rtx4090.yaml"));
    HardwareProfile rig = ProfileLoader.load("gpu-rig-8x-rtx4090.yaml", yaml);
    HardwareProfile s19 = ProfileLoader.load("antminer-s19j-pro.yaml", exemplar());

    assertThat(rig.workloads().getFirst().drainS()).isEqualTo(30);
    assertThat(rig.workloads().getFirst().minRunS()).isEqualTo(900);
    assertThat(s19.workloads().getFirst().drainS()).isZero();
    assertThat(s19.workloads().getFirst().minRunS()).isEqualTo(WorkloadSpec.DEFAULT_MIN_RUN_S);
  }

  @Test
  void aNegativeHoldIsReportedWithItsLineAndField() throws Exception {
    String yaml =
        Files.readString(RepoProfiles.dir().resolve("gpu-rig-8x-rtx4090.yaml"))
            .replace("    min_run_s: 900\n  - name: batch", "    min_run_s: -5\n  - name: batch");

    assertThat(errorsOf("gpu-rig-8x-rtx4090.yaml", yaml))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.field()).isEqualTo("workloads[0].min_run_s");
              assertThat(e.line()).isEqualTo(lineOf(yaml, "min_run_s: -5"));
            });
  }

  @Test
  void aGpuRigMayMineThroughACgminerApiButAGpuNodeMayNot() throws Exception {
    String miner = "  - name: mining\n    kind: MINING\n    api: cgminer://127.0.0.1:4028\n";
    String rig = Files.readString(RepoProfiles.dir().resolve("gpu-rig-8x-rtx4090.yaml"));
    String node = Files.readString(RepoProfiles.dir().resolve("hgx-h100-8x.yaml"));

    HardwareProfile hybrid =
        ProfileLoader.load(
            "gpu-rig-8x-rtx4090.yaml", rig.replace("workloads:\n", "workloads:\n" + miner));

    assertThat(hybrid.workloads()).extracting(WorkloadSpec::kind).contains(WorkloadKind.MINING);
    assertThat(errorsOf("hgx-h100-8x.yaml", node.replace("workloads:\n", "workloads:\n" + miner)))
        .anySatisfy(e -> assertThat(e.message()).contains("MINING on a GPU machine"));
  }

  @Test
  void asicWithoutMinerApiSensorIsRejected() throws Exception {
    String yaml = exemplar().replace("role: miner_api", "role: hash_api");

    assertThat(errorsOf("antminer-s19j-pro.yaml", yaml))
        .singleElement()
        .extracting(ProfileError::message)
        .asString()
        .contains("miner_api");
  }

  @Test
  void curveFarFromTheNameplateAtStockPowerIsSuspect() throws Exception {
    String yaml =
        exemplar()
            .replace("{ power_w: 3068, output: 104 }", "{ power_w: 3068, output: 90 }")
            .replace("{ power_w: 2500, output: 92 }", "{ power_w: 2500, output: 85 }");

    assertThat(errorsOf("antminer-s19j-pro.yaml", yaml))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.field()).isEqualTo("power_curve.points");
              assertThat(e.message()).contains("expected about 104 TH/s");
            });
  }

  static int lineOf(String text, String fragment) {
    int index = text.indexOf(fragment);
    assertThat(index).as("fixture contains %s", fragment).isNotNegative();
    return (int) text.substring(0, index).chars().filter(c -> c == '\n').count() + 1;
  }
}
