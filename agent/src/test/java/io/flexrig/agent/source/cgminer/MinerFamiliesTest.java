package io.flexrig.agent.source.cgminer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexrig.agent.Fixtures;
import io.flexrig.agent.source.Quality;
import io.flexrig.agent.source.Reading;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The cgminer-family firmwares mapped onto one model: hashrate 5 s / 1 min / average in TH/s, share
 * counters, per-board chip temperatures, fans and power where the firmware reports them. Fixtures
 * under {@code miners/} follow the reply shapes the vendors document, defects included.
 */
class MinerFamiliesTest {
  private static final Instant AT = Instant.parse("2026-11-25T10:00:00Z");

  private static Map<String, Reading> byName(List<Reading> readings) {
    return readings.stream().collect(Collectors.toMap(Reading::name, r -> r, (a, b) -> b));
  }

  @Test
  void summaryInGigahashWithThousandsSeparatorsAndTrailingNul() throws Exception {
    String reply = Fixtures.text("miners/antminer-s19jpro-summary.json");
    assertThat(reply).endsWith("\0");
    Map<String, Reading> r = byName(CgminerReplies.summary(reply, AT));
    assertThat(r.get("miner.hashrate_5s").value()).isEqualTo(103.45679);
    assertThat(r.get("miner.hashrate_av").value()).isEqualTo(101.23456);
    assertThat(r.get("miner.accepted").value()).isEqualTo(121345);
    assertThat(r.get("miner.rejected").value()).isEqualTo(487);
    assertThat(r.get("miner.hw_errors").value()).isEqualTo(182);
    assertThat(r).doesNotContainKey("miner.power");
  }

  @Test
  void statsWithTheMissingCommaBetweenRecordsGivesChainsAndFans() throws Exception {
    String reply = Fixtures.text("cgminer/stats-antminer-s19jpro.json");
    assertThat(reply).contains("}{");
    Map<String, Reading> r = byName(CgminerReplies.stats(reply, AT));
    assertThat(r.get("miner.chain2.chip_temp_max").value()).isEqualTo(81);
    assertThat(r.get("miner.fan3").value()).isEqualTo(5900);
  }

  @Test
  void summaryWithTrailingCommasGivesHashratesAndCounters() throws Exception {
    String reply = Fixtures.text("miners/luxos-summary.json");
    assertThat(reply).contains(",}]");
    Map<String, Reading> r = byName(CgminerReplies.summary(reply, AT));
    assertThat(r.get("miner.hashrate_5s").value()).isEqualTo(99.01234);
    assertThat(r.get("miner.hashrate_av").value()).isEqualTo(98.5);
    assertThat(r.get("miner.hw_errors").value()).isEqualTo(37);
  }

  @Test
  void statsGiveChainTemperaturesAndPowerComesFromThePowerCommand() throws Exception {
    Map<String, Reading> r =
        byName(CgminerReplies.stats(Fixtures.text("miners/luxos-stats.json"), AT));
    assertThat(r.get("miner.chain2.chip_temp_max").value()).isEqualTo(75);
    assertThat(r.get("miner.chip_temp_max").value()).isEqualTo(75);
    assertThat(r.get("miner.fan1").value()).isEqualTo(4680);
    assertThat(
            CgminerReplies.power(Fixtures.text("cgminer/power-luxos.json"), AT).getFirst().value())
        .isEqualTo(3050);
  }

  @Test
  void summaryCarriesPowerFansAndTheHottestChip() throws Exception {
    String reply = Fixtures.text("miners/whatsminer-m50s-summary.json");
    assertThat(CgminerReplies.isWhatsminerSummary(reply)).isTrue();
    Map<String, Reading> r = byName(CgminerReplies.summary(reply, AT));
    assertThat(r.get("miner.hashrate_5s").value()).isEqualTo(126.10587321);
    assertThat(r.get("miner.hashrate_1m").value()).isEqualTo(125.40123456);
    assertThat(r.get("miner.hashrate_av").value()).isEqualTo(124.37812345);
    assertThat(r.get("miner.power").value()).as("Power_RT over Power").isEqualTo(3418);
    assertThat(r.get("miner.fan1").value()).isEqualTo(4740);
    assertThat(r.get("miner.fan2").value()).isEqualTo(4680);
    assertThat(r.get("miner.chip_temp_max").value()).isEqualTo(88.5);
    assertThat(r.get("miner.pcb_temp_max").value()).isEqualTo(74.5);
    assertThat(r.get("miner.accepted").value()).isEqualTo(2321);
  }

  @Test
  void olderBtminerWithOnlyPowerStillReportsIt() throws Exception {
    String reply =
        Fixtures.text("miners/whatsminer-m50s-summary.json").replace("\"Power_RT\":3418,", "");
    assertThat(byName(CgminerReplies.summary(reply, AT)).get("miner.power").value())
        .isEqualTo(3425);
  }

  @Test
  void edevsWithTrailingCommasGiveEachBoardsChipTemperature() throws Exception {
    String reply = Fixtures.text("miners/whatsminer-m50s-edevs.json");
    Map<String, Reading> r = byName(CgminerReplies.devs("edevs", reply, AT));
    assertThat(r.get("miner.chain1.chip_temp_max").value()).isEqualTo(86.25);
    assertThat(r.get("miner.chain2.chip_temp_max").value()).isEqualTo(88.5);
    assertThat(r.get("miner.chain3.chip_temp_max").value()).isEqualTo(85.75);
    assertThat(r.get("miner.chain2.pcb_temp_max").value()).isEqualTo(74.5);
  }

  @Test
  void aSummaryCutShortIsATypedErrorThatSaysWhere() {
    String reply = Fixtures.text("miners/whatsminer-m50s-summary.json");
    String cut = reply.substring(0, reply.indexOf("\"Power_RT\"") + 8);
    assertThatThrownBy(() -> CgminerReplies.summary(cut, AT))
        .isInstanceOf(CgminerProtocolException.class)
        .hasMessageContaining("cut short");
  }

  @Test
  void mmIdStringGivesBoardsFansAndWallPower() throws Exception {
    Map<String, Reading> r =
        byName(CgminerReplies.stats(Fixtures.text("miners/avalon-a1366-stats.json"), AT));
    assertThat(r.get("miner.chain1.chip_temp_max").value()).isEqualTo(81);
    assertThat(r.get("miner.chain2.chip_temp_max").value()).isEqualTo(82);
    assertThat(r.get("miner.chain3.chip_temp_max").value()).isEqualTo(80);
    assertThat(r.get("miner.chip_temp_max").value()).isEqualTo(82);
    assertThat(r.get("miner.inlet_temp").value()).isEqualTo(24);
    assertThat(r.get("miner.fan1").value()).isEqualTo(3780);
    assertThat(r.get("miner.fan4").value()).isEqualTo(3790);
    assertThat(r.get("miner.power").value()).as("PS[6]").isEqualTo(3426);
  }

  @Test
  void wallPowerFieldWinsOverThePsList() throws Exception {
    String reply =
        Fixtures.text("miners/avalon-a1366-stats.json").replace("MPO[3420]", "WALLPOWER[3390]");
    assertThat(byName(CgminerReplies.stats(reply, AT)).get("miner.power").value()).isEqualTo(3390);
  }

  @Test
  void summaryWithNanHashrateMakesThatOneReadingBad() throws Exception {
    Map<String, Reading> r =
        byName(CgminerReplies.summary(Fixtures.text("miners/avalon-a1366-summary.json"), AT));
    assertThat(r.get("miner.hashrate_5s").quality()).isEqualTo(Quality.BAD);
    assertThat(r.get("miner.hashrate_1m").value()).isEqualTo(130.00234567);
    assertThat(r.get("miner.accepted").value()).isEqualTo(4510);
  }

  @Test
  void bracketStringKeepsValuesWithSpacesAndSurvivesBeingCutShort() {
    Map<String, List<String>> st =
        AvalonStatus.parse("SYSTEMSTATU[Work: In Work, Hash Board: 3 ] MTmax[81 82 80] PS[0 12");
    assertThat(st.get("SYSTEMSTATU"))
        .containsExactly("Work:", "In", "Work,", "Hash", "Board:", "3");
    assertThat(st.get("MTmax")).containsExactly("81", "82", "80");
    assertThat(st).doesNotContainKey("PS");
  }
}
