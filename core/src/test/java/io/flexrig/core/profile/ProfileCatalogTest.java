package io.flexrig.core.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileCatalogTest {

  @Test
  void repositoryDirectoryLoadsEveryModel() throws Exception {
    ProfileCatalog catalog = ProfileCatalog.load(RepoProfiles.dir());

    assertThat(catalog.ids())
        .containsExactly(
            "antminer-s19j-pro",
            "antminer-s21",
            "avalon-a1366",
            "gpu-rig-8x-rtx4090",
            "hgx-h100-8x",
            "whatsminer-m50s");
    assertThat(catalog.all()).extracting(HardwareProfile::id).isSorted();
  }

  @Test
  void newRigModelNeedsOnlyItsYamlFile(@TempDir Path dir) throws Exception {
    for (Path file : RepoProfiles.files()) {
      Files.copy(file, dir.resolve(file.getFileName()));
    }
    String s21 = Files.readString(dir.resolve("antminer-s21.yaml"));
    Files.writeString(
        dir.resolve("antminer-s21-pro.yaml"),
        s21.replace("id: antminer-s21", "id: antminer-s21-pro")
            .replace("model: Antminer S21 200T", "model: Antminer S21 Pro 234T")
            .replace("hashrate_ths: 200", "hashrate_ths: 234")
            .replace("efficiency_j_per_th: 17.5", "efficiency_j_per_th: 15")
            .replace("{ power_w: 3500, output: 200 }", "{ power_w: 3500, output: 234 }")
            .replace("{ power_w: 3700, output: 206 }", "{ power_w: 3700, output: 240 }"));

    ProfileCatalog catalog = ProfileCatalog.load(dir);

    assertThat(catalog.size()).isEqualTo(RepoProfiles.files().size() + 1);
    HardwareProfile added = catalog.require("antminer-s21-pro");
    assertThat(added.nameplate().hashrateThs()).isEqualTo(234);
    assertThat(added.powerCurve().outputAt(3500)).isEqualTo(234);
  }

  @Test
  void errorsOfAllFilesAreReportedTogether(@TempDir Path dir) throws Exception {
    String exemplar = Files.readString(RepoProfiles.dir().resolve("antminer-s19j-pro.yaml"));
    Files.writeString(dir.resolve("antminer-s19j-pro.yaml"), exemplar);
    Files.writeString(
        dir.resolve("first.yaml"),
        exemplar
            .replace("id: antminer-s19j-pro", "id: first")
            .replace("ramp_w_per_s: 150", "ramp_w_per_s: -1"));
    Files.writeString(
        dir.resolve("second.yaml"),
        exemplar
            .replace("id: antminer-s19j-pro", "id: second")
            .replace("kind: ASIC_MINER", "kind: FPGA"));
    Files.writeString(dir.resolve("notes.txt"), "not a profile");

    ProfileException e =
        catchThrowableOfType(ProfileException.class, () -> ProfileCatalog.load(dir));

    assertThat(
            e.errors().stream().map(err -> Path.of(err.file()).getFileName() + " " + err.field()))
        .containsExactlyInAnyOrder("first.yaml limits.ramp_w_per_s", "second.yaml kind");
  }

  @Test
  void builtInCatalogHoldsThePackagedCopiesOfTheRepositoryProfiles() throws Exception {
    ProfileCatalog builtIn = ProfileCatalog.builtIn();

    assertThat(builtIn.ids()).isEqualTo(ProfileCatalog.load(RepoProfiles.dir()).ids());
    assertThat(builtIn.require("antminer-s21").source())
        .isEqualTo("classpath:flexrig/hardware-profiles/antminer-s21.yaml");
  }

  @Test
  void packagedIndexListsExactlyTheRepositoryProfiles() throws IOException {
    String index;
    try (InputStream in =
        ProfileCatalog.class.getClassLoader().getResourceAsStream(ProfileCatalog.RESOURCE_INDEX)) {
      assertThat(in).as("the build generates %s", ProfileCatalog.RESOURCE_INDEX).isNotNull();
      index = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    assertThat(index.lines().filter(l -> !l.isBlank()))
        .containsExactlyElementsOf(
            RepoProfiles.files().stream().map(p -> p.getFileName().toString()).toList());
  }

  @Test
  void unknownIdNamesTheKnownOnes() {
    ProfileCatalog catalog = ProfileCatalog.builtIn();

    assertThat(catalog.byId("antminer-s9")).isEmpty();
    assertThatThrownBy(() -> catalog.require("antminer-s9"))
        .isInstanceOf(NoSuchElementException.class)
        .hasMessageContaining("antminer-s19j-pro");
  }
}
