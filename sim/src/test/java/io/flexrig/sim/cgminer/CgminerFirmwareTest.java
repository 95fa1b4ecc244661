package io.flexrig.sim.cgminer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flexrig.sim.SimulatedRig;
import io.flexrig.sim.TestProfiles;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CgminerFirmwareTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

  private final SimulatedRig rig = new SimulatedRig("rig-7", TestProfiles.s19jPro(), 7);
  private final CgminerFirmware firmware =
      new CgminerFirmware(rig, false, Clock.fixed(NOW, ZoneOffset.UTC));

  private JsonNode ask(String request) throws JsonProcessingException {
    return JSON.readTree(firmware.answer(request));
  }

  private void run(double seconds) {
    for (int i = 0; i < Math.round(seconds * 10); i++) {
      rig.advance(0.1);
    }
  }

  @Test
  void everyReplyCarriesAStatusBlockAndIdOne() throws Exception {
    for (String command : new String[] {"version", "summary", "stats", "devs", "pools", "power"}) {
      JsonNode reply = ask("{\"command\":\"" + command + "\"}");
      JsonNode status = reply.get("STATUS").get(0);
      assertThat(status.get("STATUS").asText()).as(command).isEqualTo("S");
      assertThat(status.get("When").asLong()).isEqualTo(NOW.getEpochSecond());
      assertThat(status.get("Description").asText()).isEqualTo("cgminer 4.11.1");
      assertThat(status.has("Code")).isTrue();
      assertThat(status.has("Msg")).isTrue();
      assertThat(reply.get("id").asInt()).isEqualTo(1);
    }
  }

  @Test
  void summaryReportsHashrateInMegahashesAndShareCounters() throws Exception {
    run(120);
    JsonNode summary = ask("{\"command\":\"summary\",\"parameter\":\"\"}").get("SUMMARY").get(0);
    assertThat(summary.get("Elapsed").asLong()).isEqualTo(120);
    assertThat(summary.get("MHS av").asDouble()).isCloseTo(104e6, within(104e6 * 0.01));
    assertThat(summary.get("MHS 5s").asDouble()).isCloseTo(104e6, within(104e6 * 0.01));
    assertThat(summary.get("MHS 1m").isNumber()).isTrue();
    assertThat(summary.get("MHS 15m").isNumber()).isTrue();
    assertThat(summary.get("Accepted").asLong()).isEqualTo(rig.acceptedShares()).isPositive();
    assertThat(summary.get("Rejected").asLong()).isEqualTo(rig.rejectedShares());
    assertThat(summary.get("Hardware Errors").asLong()).isEqualTo(rig.hardwareErrors());
    assertThat(summary.get("Utility").asDouble())
        .isCloseTo(rig.acceptedShares() / 2.0, within(0.01));
  }

  @Test
  void statsLooksLikeAnAntminerWithPerChainTemperaturesFansAndRates() throws Exception {
    JsonNode stats = ask("{\"command\":\"stats\"}").get("STATS");
    assertThat(stats).hasSize(2);
    assertThat(stats.get(0).get("Type").asText()).isEqualTo("Antminer S19j Pro 104T");
    JsonNode m = stats.get(1);
    assertThat(Double.parseDouble(m.get("GHS 5s").asText()))
        .isCloseTo(104_000, within(104_000 * 0.01));
    int chip = (int) Math.round(rig.chipTempC());
    for (int c = 1; c <= 3; c++) {
      assertThat(m.get("temp_chip" + c).asText()).endsWith("-" + chip);
      assertThat(m.get("temp_pcb" + c).asText()).matches("\\d+-\\d+-\\d+-\\d+");
      assertThat(Double.parseDouble(m.get("chain_rate" + c).asText()))
          .isBetween(30_000.0, 40_000.0);
    }
    for (int f = 1; f <= 4; f++) {
      assertThat(m.get("fan" + f).asInt()).isBetween(2900, 6100);
    }
  }

  @Test
  void antminerQuirkDropsTheCommaBetweenStatsRecords() {
    CgminerFirmware quirky = new CgminerFirmware(rig, true);
    String reply = quirky.answer("{\"command\":\"stats\"}");
    assertThat(reply).contains("\"Type\":\"Antminer S19j Pro 104T\"}{\"STATS\":0");
    assertThatThrownBy(() -> JSON.readTree(reply)).isInstanceOf(JsonProcessingException.class);
    // The usual client-side repair makes it valid again.
    assertThat(readable(reply.replace("}{", "},{"))).isTrue();
    assertThat(readable(quirky.answer("{\"command\":\"summary\"}"))).isTrue();
  }

  private static boolean readable(String json) {
    try {
      JSON.readTree(json);
      return true;
    } catch (JsonProcessingException e) {
      return false;
    }
  }

  @Test
  void powerReportsWattsLikeLuxos() throws Exception {
    JsonNode power = ask("{\"command\":\"power\"}").get("POWER").get(0);
    assertThat(power.get("Watts").asInt()).isEqualTo(3068);
    assertThat(power.get("PSU").asBoolean()).isTrue();
  }

  @Test
  void powerTargetInsideTheRangeSetsTheRigTarget() throws Exception {
    JsonNode reply = ask("{\"command\":\"powertarget\",\"parameter\":\"2000\"}");
    assertThat(reply.get("STATUS").get(0).get("STATUS").asText()).isEqualTo("S");
    assertThat(rig.powerTargetW()).isEqualTo(2000);

    ask("{\"command\":\"powertarget\",\"parameter\":2500}");
    assertThat(rig.powerTargetW()).isEqualTo(2500);
  }

  @Test
  void powerTargetOutsideTheRangeIsRefusedWithAnError() throws Exception {
    JsonNode status =
        ask("{\"command\":\"powertarget\",\"parameter\":\"900\"}").get("STATUS").get(0);
    assertThat(status.get("STATUS").asText()).isEqualTo("E");
    assertThat(status.get("Msg").asText()).contains("1500");
    assertThat(rig.powerTargetW()).isEqualTo(3068);
  }

  @Test
  void curtailSleepAndWakeupDriveTheRig() throws Exception {
    assertThat(
            ask("{\"command\":\"curtail\",\"parameter\":\"sleep\"}")
                .get("STATUS")
                .get(0)
                .get("STATUS")
                .asText())
        .isEqualTo("S");
    assertThat(rig.isSleeping()).isTrue();
    ask("{\"command\":\"curtail\",\"parameter\":\"session-1,wakeup\"}");
    assertThat(rig.isSleeping()).isFalse();
    JsonNode bad = ask("{\"command\":\"curtail\",\"parameter\":\"nap\"}").get("STATUS").get(0);
    assertThat(bad.get("STATUS").asText()).isEqualTo("E");
  }

  @Test
  void unknownCommandIsInvalidCommandCode14() throws Exception {
    JsonNode status = ask("{\"command\":\"selfdestruct\"}").get("STATUS").get(0);
    assertThat(status.get("STATUS").asText()).isEqualTo("E");
    assertThat(status.get("Code").asInt()).isEqualTo(14);
    assertThat(status.get("Msg").asText()).isEqualTo("Invalid command");
  }

  @Test
  void plainTextRequestsGetPipeSeparatedText() {
    String reply = firmware.answer("summary|");
    assertThat(reply).startsWith("STATUS=S,When=" + NOW.getEpochSecond() + ",Code=11,Msg=Summary,");
    assertThat(reply).contains("|SUMMARY,Elapsed=0,MHS av=");
    assertThat(reply).endsWith("|");

    firmware.answer("powertarget|1800\n");
    assertThat(rig.powerTargetW()).isEqualTo(1800);
  }

  @Test
  void joinedCommandsAnswerEachUnderItsName() throws Exception {
    JsonNode reply = ask("{\"command\":\"summary+power\"}");
    assertThat(reply.get("summary").get(0).get("SUMMARY")).isNotNull();
    assertThat(reply.get("power").get(0).get("POWER").get(0).get("Watts").asInt()).isEqualTo(3068);
  }

  @Test
  void malformedJsonIsAnErrorReply() throws Exception {
    JsonNode status = ask("{\"command\":").get("STATUS").get(0);
    assertThat(status.get("STATUS").asText()).isEqualTo("E");
  }
}
