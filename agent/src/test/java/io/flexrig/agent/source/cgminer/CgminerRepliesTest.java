package io.flexrig.agent.source.cgminer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.flexrig.agent.Fixtures;
import io.flexrig.agent.source.Quality;
import io.flexrig.agent.source.Reading;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CgminerRepliesTest {
  private static final Instant AT = Instant.parse("2026-11-25T10:00:00Z");

  private static Map<String, Reading> byName(List<Reading> readings) {
    return readings.stream().collect(Collectors.toMap(Reading::name, r -> r));
  }

  @Test
  void summaryHashratesInMhsBecomeTerahashesPerSecond() throws Exception {
    Map<String, Reading> r =
        byName(CgminerReplies.summary(Fixtures.text("cgminer/summary-cgminer-4.11.json"), AT));

    assertThat(r.get("miner.hashrate_5s").value()).isCloseTo(103.456789, within(1e-6));
    assertThat(r.get("miner.hashrate_1m").value()).isCloseTo(102.0, within(1e-6));
    assertThat(r.get("miner.hashrate_av").value()).isCloseTo(101.234568, within(1e-6));
    assertThat(r.get("miner.hashrate_5s").unit()).isEqualTo("TH/s");
    assertThat(r.get("miner.accepted").value()).isEqualTo(121345);
    assertThat(r.get("miner.rejected").value()).isEqualTo(487);
    assertThat(r.get("miner.hw_errors").value()).isEqualTo(182);
    assertThat(r.values()).allMatch(x -> x.quality() == Quality.GOOD && x.readAt().equals(AT));
  }

  @Test
  void antminerStatsWithMissingCommaBetweenRecordsYieldPerChainTemperaturesAndFans()
      throws Exception {
    Map<String, Reading> r =
        byName(CgminerReplies.stats(Fixtures.text("cgminer/stats-antminer-s19jpro.json"), AT));

    assertThat(r.get("miner.chain1.chip_temp_max").value()).isEqualTo(78);
    assertThat(r.get("miner.chain2.chip_temp_max").value()).isEqualTo(81);
    assertThat(r.get("miner.chain3.chip_temp_max").value()).isEqualTo(77);
    assertThat(r.get("miner.chip_temp_max").value()).isEqualTo(81);
    assertThat(r.get("miner.chain2.pcb_temp_max").value()).isEqualTo(63);
    assertThat(r.get("miner.pcb_temp_max").value()).isEqualTo(63);
    assertThat(r.get("miner.fan1").value()).isEqualTo(5880);
    assertThat(r.get("miner.fan4").value()).isEqualTo(5820);
    assertThat(r.get("miner.fan1").unit()).isEqualTo("rpm");
    assertThat(r).doesNotContainKey("miner.fan_num");
    assertThat(r.get("miner.fans_stopped").value()).isZero();
  }

  @Test
  void aStoppedFanShowsAsFewerTurningFansThanFanNum() throws Exception {
    String stats =
        Fixtures.text("cgminer/stats-antminer-s19jpro.json").replace("\"fan2\":5840", "\"fan2\":0");
    Map<String, Reading> r = byName(CgminerReplies.stats(stats, AT));

    assertThat(r.get("miner.fans_stopped").value()).isEqualTo(1);
    assertThat(r).doesNotContainKey("miner.fan2");
  }

  @Test
  void olderBmminerStatsUseTemp2ForChipsAndSkipAbsentChainsAndStoppedFans() throws Exception {
    Map<String, Reading> r =
        byName(CgminerReplies.stats(Fixtures.text("cgminer/stats-antminer-s9.json"), AT));

    assertThat(r.get("miner.chain6.chip_temp_max").value()).isEqualTo(82);
    assertThat(r.get("miner.chip_temp_max").value()).isEqualTo(82);
    assertThat(r.get("miner.chain7.pcb_temp_max").value()).isEqualTo(62);
    assertThat(r).doesNotContainKeys("miner.chain1.chip_temp_max", "miner.fan1", "miner.fan2");
    assertThat(r.get("miner.fan3").value()).isEqualTo(5760);
    assertThat(r.get("miner.fan6").value()).isEqualTo(5880);
    assertThat(r.get("miner.fans_stopped").value()).as("empty slots are not stopped fans").isZero();
  }

  @Test
  void luxosPowerGivesMinerReportedWatts() throws Exception {
    List<Reading> r = CgminerReplies.power(Fixtures.text("cgminer/power-luxos.json"), AT);

    assertThat(r).containsExactly(Reading.good("miner.power", 3050, "W", AT));
  }

  @Test
  void infAndNanAndTrailingCommasAreAcceptedAndNonFiniteHashratesAreBad() throws Exception {
    Map<String, Reading> r =
        byName(
            CgminerReplies.summary(
                Fixtures.text("cgminer/summary-inf-nan-trailing-commas.json"), AT));

    assertThat(r.get("miner.hashrate_5s").quality()).isEqualTo(Quality.BAD);
    assertThat(r.get("miner.hashrate_av").quality()).isEqualTo(Quality.BAD);
    assertThat(r.get("miner.hashrate_1m").quality()).isEqualTo(Quality.BAD);
    assertThat(r.get("miner.accepted").value()).isEqualTo(10);
    assertThat(r.get("miner.accepted").quality()).isEqualTo(Quality.GOOD);
  }

  @Test
  void aReplyCutShortIsAnErrorThatSaysWhere() {
    assertThatThrownBy(
            () -> CgminerReplies.stats(Fixtures.text("cgminer/stats-cut-short.json"), AT))
        .isInstanceOf(CgminerProtocolException.class)
        .hasMessageContaining("cut short at offset");
    assertThatThrownBy(
            () -> CgminerReplies.summary(Fixtures.text("cgminer/summary-cut-mid-object.json"), AT))
        .isInstanceOf(CgminerProtocolException.class)
        .hasMessageContaining("cut short");
  }

  @Test
  void statusErrorBecomesACommandExceptionWithTheMinersMessage() {
    assertThatThrownBy(
            () -> CgminerReplies.power(Fixtures.text("cgminer/invalid-command.json"), AT))
        .isInstanceOfSatisfying(
            CgminerCommandException.class,
            e -> {
              assertThat(e.minerMessage()).isEqualTo("Invalid command");
              assertThat(e.getMessage()).contains("STATUS E", "code 14");
            });
  }

  @Test
  void emptyOrGarbageRepliesAreProtocolErrors() {
    assertThatThrownBy(() -> CgminerReplies.parse("summary", "\0"))
        .isInstanceOf(CgminerProtocolException.class)
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> CgminerReplies.parse("summary", "STATUS=S,When=1|"))
        .isInstanceOf(CgminerProtocolException.class);
    assertThatThrownBy(() -> CgminerReplies.parse("summary", "{\"id\":1}"))
        .isInstanceOf(CgminerProtocolException.class)
        .hasMessageContaining("no STATUS");
  }
}
