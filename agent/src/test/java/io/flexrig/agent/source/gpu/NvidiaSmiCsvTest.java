package io.flexrig.agent.source.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexrig.agent.source.Quality;
import io.flexrig.agent.source.Reading;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Against {@code nvidia-smi --query-gpu=... --format=csv,noheader,nounits} output in the shape the
 * real tool prints for each model (fixtures under {@code nvidia-smi/}).
 */
class NvidiaSmiCsvTest {
  private static final Instant AT = Instant.parse("2026-11-25T10:00:00Z");

  static String fixture(String name) throws IOException {
    try (InputStream in = NvidiaSmiCsvTest.class.getResourceAsStream("/nvidia-smi/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static Map<String, Reading> readings(String fixture) throws IOException {
    return NvidiaSmiSource.readings("gpus", NvidiaSmiCsv.parse(fixture(fixture)), AT).stream()
        .collect(Collectors.toMap(Reading::name, r -> r));
  }

  @Test
  void rtx4090RigGivesEveryFieldOfEveryGpu() throws Exception {
    List<GpuStats> gpus = NvidiaSmiCsv.parse(fixture("rtx4090-x4.csv"));
    assertThat(gpus).hasSize(4);
    assertThat(gpus.getFirst())
        .isEqualTo(new GpuStats(0, "NVIDIA GeForce RTX 4090", 412.37, 450.0, 64, 100, 2730, 10501));
    assertThat(gpus.get(3).powerLimitW()).as("a lowered power limit").isEqualTo(320.0);
  }

  @Test
  void totalPowerIsTheSumOfTheBoards() throws Exception {
    Map<String, Reading> r = readings("rtx4090-x4.csv");
    assertThat(r.get("gpus").value()).isEqualTo(412.37 + 398.02 + 21.54 + 301.90);
    assertThat(r.get("gpus").quality()).isEqualTo(Quality.GOOD);
    assertThat(r.get("gpus.gpu2.clock_mem").value()).isEqualTo(405.0);
  }

  @Test
  void h100SxmReportsItsSevenHundredWattLimit() throws Exception {
    Map<String, Reading> r = readings("h100-sxm-x2.csv");
    assertThat(r.get("gpus.gpu0.power_limit").value()).isEqualTo(700.0);
    assertThat(r.get("gpus.gpu1.utilization").value()).isZero();
    assertThat(r.get("gpus.gpu0.temperature").unit()).isEqualTo("C");
  }

  @Test
  void a100InMigModeHasNoUtilizationAndThatFieldAloneIsBad() throws Exception {
    Map<String, Reading> r = readings("a100-sxm4-mig.csv");
    assertThat(r.get("gpus.gpu1.utilization").quality()).isEqualTo(Quality.BAD);
    assertThat(r.get("gpus.gpu1.power").value()).isEqualTo(61.65);
    assertThat(r.get("gpus").quality()).isEqualTo(Quality.GOOD);
  }

  @Test
  void rtx3090WithoutPowerReadingMakesTheTotalUncertain() throws Exception {
    Map<String, Reading> r = readings("rtx3090-na.csv");
    assertThat(r.get("gpus.gpu0.power").quality()).isEqualTo(Quality.BAD);
    assertThat(r.get("gpus.gpu0.power_limit").quality())
        .as("[Not Supported]")
        .isEqualTo(Quality.BAD);
    assertThat(r.get("gpus.gpu0.temperature").value()).isEqualTo(71.0);
    assertThat(r.get("gpus").value()).isEqualTo(348.91);
    assertThat(r.get("gpus").quality()).isEqualTo(Quality.UNCERTAIN);
  }

  @Test
  void aLostGpuIsBadEverywhereButTheOthersStillCount() throws Exception {
    String out =
        "0, NVIDIA H100 80GB HBM3, [GPU is lost], [GPU is lost], [GPU is lost], [GPU is lost],"
            + " [GPU is lost], [GPU is lost]\n"
            + "1, NVIDIA H100 80GB HBM3, 112.47, 700.00, 33, 0, 345, 2619\n";
    List<Reading> r = NvidiaSmiSource.readings("gpus", NvidiaSmiCsv.parse(out), AT);
    assertThat(r.stream().filter(x -> x.name().startsWith("gpus.gpu0")))
        .allMatch(x -> x.quality() == Quality.BAD);
    assertThat(r.getFirst().quality()).isEqualTo(Quality.UNCERTAIN);
  }

  @Test
  void anErrorMessageInsteadOfCsvIsATypedError() {
    assertThatThrownBy(
            () ->
                NvidiaSmiCsv.parse(
                    "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA"
                        + " driver. Make sure that the latest NVIDIA driver is installed and"
                        + " running."))
        .isInstanceOf(NvidiaSmiException.class)
        .hasMessageContaining("not a --query-gpu line");
    assertThatThrownBy(() -> NvidiaSmiCsv.parse("0, GPU, abc, 1, 2, 3, 4, 5"))
        .isInstanceOf(NvidiaSmiException.class)
        .hasMessageContaining("'abc'");
  }

  @Test
  void blankLinesAndCarriageReturnsAreIgnored() throws Exception {
    assertThat(
            NvidiaSmiCsv.parse(
                "\r\n0, NVIDIA A100-SXM4-80GB, 61.65, 400.00, 31, 0, 210, 1593\r\n\r\n"))
        .hasSize(1);
  }
}
