package io.flexrig.agent.scada;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexrig.agent.source.Quality;
import io.flexrig.agent.source.Reading;
import io.flexrig.agent.status.TestStatuses;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ScadaPointsTest {
  private static final Instant AT = Instant.parse("2026-11-25T12:00:00Z");

  @Test
  void sensorReadingsKeepTheirQualityAndUnits() {
    Map<String, ScadaPoint> points =
        byPath(
            TestStatuses.of(
                AT,
                "",
                List.of(
                    new Reading("miner.pcb_temp_max", 64, "C", Quality.UNCERTAIN, AT),
                    new Reading("miner.chain2.chip_temp_max", 77, "C", Quality.GOOD, AT),
                    new Reading("miner.fan3", 0, "rpm", Quality.BAD, AT))));

    assertThat(points.get("Power/InputPowerW"))
        .extracting(ScadaPoint::value, ScadaPoint::quality, ScadaPoint::unit)
        .containsExactly(3100.0, Quality.GOOD, ScadaPoint.Unit.WATT);
    assertThat(points.get("Temperatures/BoardMaxC").quality()).isEqualTo(Quality.UNCERTAIN);
    assertThat(points.get("Temperatures/Chain2ChipMaxC").value()).isEqualTo(77.0);
    assertThat(points.get("Fans/Fan3Rpm"))
        .extracting(ScadaPoint::quality, ScadaPoint::unit)
        .containsExactly(Quality.BAD, ScadaPoint.Unit.RPM);
    assertThat(points.get("Temperatures/InletC"))
        .as("a sensor the rig does not report: present, without a value")
        .extracting(p -> ((Double) p.value()).isNaN(), ScadaPoint::quality)
        .containsExactly(true, Quality.BAD);
  }

  @Test
  void everyFolderHasItsVariablesAndAnIdleRigHoldsNoCommand() {
    Map<String, ScadaPoint> points = byPath(TestStatuses.of(AT, "", List.of()));
    assertThat(points.values().stream().map(ScadaPoint::folder).distinct())
        .containsExactlyInAnyOrderElementsOf(
            ScadaPoints.FOLDERS.stream().filter(f -> !f.equals(ScadaPoints.FANS)).toList());
    assertThat(points.get("Curtailment/Active").value()).isEqualTo(false);
    assertThat(points.get("Curtailment/CommandId").value()).isEqualTo("");
    assertThat(points.get("Curtailment/Deadline").value()).isNull();
    assertThat(points.get("Safety/MaxPowerW").unit()).isEqualTo(ScadaPoint.Unit.WATT);
    assertThat(points.get("Link/OutboxDepth").value()).isEqualTo(3);
  }

  @Test
  void unitIdsAreTheUneceCodesPackedAsOpcUaPart8Says() {
    assertThat(ScadaPoint.Unit.WATT.unitId()).isEqualTo(5723220);
    assertThat(ScadaPoint.Unit.CELSIUS.unitId()).isEqualTo(4408652);
    assertThat(ScadaPoint.Unit.TERAHASH_PER_SECOND.unitId()).isEqualTo(-1);
  }

  private static Map<String, ScadaPoint> byPath(io.flexrig.agent.status.RigStatus s) {
    return ScadaPoints.of(s).stream()
        .collect(Collectors.toMap(ScadaPoint::path, Function.identity()));
  }
}
