package io.flexrig.agent.safety;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexrig.agent.TestProfiles;
import io.flexrig.agent.sampler.RigSnapshot;
import io.flexrig.agent.sampler.Staleness;
import io.flexrig.agent.source.Reading;
import io.flexrig.core.profile.Limits;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SafetyLoopTest {
  private static final Limits LIMITS = TestProfiles.s19jPro().limits();
  private final SafetyLoop loop = new SafetyLoop(LIMITS, Duration.ofSeconds(10));
  private Instant now = Instant.parse("2026-11-25T10:00:00Z");

  private RigSnapshot rig(double powerW, double chipC, double fanRpm) {
    return rig(powerW, chipC, 60, fanRpm);
  }

  private RigSnapshot rig(double powerW, double chipC, double boardC, double fanRpm) {
    List<Reading> r = new ArrayList<>();
    r.add(Reading.good(RigSnapshot.OUTLET_POWER, powerW, "W", now));
    r.add(Reading.good(RigSnapshot.CHIP_TEMP_MAX, chipC, "C", now));
    r.add(Reading.good("miner.pcb_temp_max", boardC, "C", now));
    r.add(Reading.good("miner.fan1", 5000, "rpm", now));
    r.add(Reading.good("miner.fan2", fanRpm, "rpm", now));
    r.add(Reading.good("miner.fans_stopped", fanRpm > 0 ? 0 : 1, "", now));
    return RigSnapshot.assemble(r, now, Staleness.forInterval(Duration.ofSeconds(1)));
  }

  private List<SafetyAlarm> after(Duration d, RigSnapshot s) {
    now = now.plus(d);
    return loop.observe(
        new RigSnapshot(
            now, s.powerW(), s.hashrateThs(), s.chipTempMaxC(), s.gridFrequencyHz(), s.readings()));
  }

  private List<String> codes(List<SafetyAlarm> alarms) {
    return alarms.stream().map(SafetyAlarm::code).toList();
  }

  @Test
  void aHealthyRigKeepsTheFullPowerRange() {
    assertThat(loop.observe(rig(3068, 74, 5800))).isEmpty();
    assertThat(loop.ceilingW()).isEqualTo(3250);
    assertThat(loop.cutRequired()).isFalse();
    assertThat(loop.reason()).isEmpty();
  }

  @Test
  void aChipAboveDerateLowersTheCeilingOneStepAtOnceAndAgainEachIntervalWhileHot() {
    assertThat(codes(loop.observe(rig(3068, 86, 5800)))).containsExactly("THERMAL_DERATE");
    assertThat(loop.ceilingW()).isEqualTo(3068 - 325);

    assertThat(after(Duration.ofSeconds(5), rig(2900, 87, 5800))).isEmpty();
    assertThat(codes(after(Duration.ofSeconds(5), rig(2743, 87, 5800))))
        .containsExactly("THERMAL_DERATE");
    assertThat(loop.ceilingW()).isEqualTo(2743 - 325);
    assertThat(loop.reason()).contains("chip temperature 87.0 C");
    assertThat(loop.cutRequired()).isFalse();
  }

  @Test
  void theCeilingNeverGoesBelowTheLowestPowerTarget() {
    for (int i = 0; i < 10; i++) {
      after(Duration.ofSeconds(10), rig(1500, 90, 5800));
    }
    assertThat(loop.ceilingW()).isEqualTo(1500);
    assertThat(loop.cutRequired()).isFalse();
  }

  @Test
  void aBoardAtItsCriticalTemperatureCutsTheWorkload() {
    List<SafetyAlarm> alarms = loop.observe(rig(3068, 80, 85, 5800));

    assertThat(codes(alarms)).containsExactly("THERMAL_CUT");
    assertThat(alarms.getFirst().severity()).isEqualTo(SafetyAlarm.Severity.CRITICAL);
    assertThat(loop.cutRequired()).isTrue();
    assertThat(loop.reason()).contains("board temperature 85.0 C");
  }

  @Test
  void aFailedFanDeratesAtOnceAndCutsOnTheThirdSampleInARow() {
    assertThat(codes(loop.observe(rig(3068, 74, 0))))
        .containsExactly("FAN_FAILURE", "THERMAL_DERATE");
    assertThat(loop.ceilingW()).isEqualTo(1500);
    assertThat(loop.cutRequired()).isFalse();

    assertThat(after(Duration.ofSeconds(1), rig(2900, 75, 0))).isEmpty();
    assertThat(codes(after(Duration.ofSeconds(1), rig(2750, 76, 0))))
        .containsExactly("THERMAL_CUT");
    assertThat(loop.cutRequired()).isTrue();
    assertThat(loop.reason()).contains("fan failure");
  }

  @Test
  void aFailedFanCutsAtOnceWhenAChipIsAlreadyAboveDerate() {
    loop.observe(rig(3068, 86, 0));

    assertThat(loop.cutRequired()).isTrue();
  }

  @Test
  void aSlowFanOnASleepingRigIsNotAFailure() {
    assertThat(loop.observe(rig(25, 40, 0))).isEmpty();
    assertThat(loop.ceilingW()).isEqualTo(3250);
  }

  @Test
  void measuredPowerAboveMaxLowersTheCeilingByTheExcess() {
    List<SafetyAlarm> alarms = loop.observe(rig(3400, 74, 5800));

    assertThat(codes(alarms)).containsExactly("OVER_POWER");
    assertThat(loop.ceilingW()).isEqualTo(3250 - 150);
  }

  @Test
  void afterACutTheWorkloadStaysOffForTheMinimumOffTimeAndUntilCool() {
    loop.observe(rig(3068, 96, 5800));
    assertThat(loop.cutRequired()).isTrue();

    after(Duration.ofSeconds(30), rig(25, 60, 3000));
    assertThat(loop.cutRequired()).as("min_off_s is 60").isTrue();
    assertThat(codes(after(Duration.ofSeconds(30), rig(25, 50, 3000))))
        .containsExactly("SAFETY_RECOVERED");
    assertThat(loop.cutRequired()).isFalse();
    assertThat(loop.ceilingW()).isEqualTo(1500);
  }

  @Test
  void aFanCutIsNotLiftedUntilTheFanTurnsAgain() {
    loop.observe(rig(3068, 86, 0));
    after(Duration.ofSeconds(120), rig(25, 40, 0));
    assertThat(loop.cutRequired()).isTrue();

    after(Duration.ofSeconds(1), rig(25, 40, 3000));
    assertThat(loop.cutRequired()).isFalse();
  }

  @Test
  void theCeilingClimbsBackStepByStepOnceTheRigHasCooled() {
    loop.observe(rig(3068, 86, 5800));
    double derated = loop.ceilingW();
    after(Duration.ofSeconds(10), rig(2743, 70, 5800));
    after(Duration.ofSeconds(10), rig(2743, 70, 5800));
    assertThat(loop.ceilingW()).isEqualTo(derated + 325);
    for (int i = 0; i < 5; i++) {
      after(Duration.ofSeconds(10), rig(3000, 70, 5800));
    }
    assertThat(loop.ceilingW()).isEqualTo(3250);
    assertThat(loop.reason()).isEmpty();
  }
}
