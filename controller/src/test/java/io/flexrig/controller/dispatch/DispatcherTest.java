package io.flexrig.controller.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DispatcherTest {

  private static final Duration TEN_MINUTES = Duration.ofMinutes(10);
  private final Dispatcher dispatcher = new Dispatcher();

  /** An ASIC miner with a power-target knob (1 s) and a sleep knob (2 s). */
  private static DispatchRig asic(String id, double measuredW, double jPerTh, double minTargetW) {
    return new DispatchRig(
        id,
        Optional.of(measuredW),
        jPerTh,
        20,
        Optional.of(new KnobRange(minTargetW, 3600, 1)),
        Optional.of(new KnobRange(20, 20, 2)),
        Optional.empty());
  }

  private static DispatchRig holding(DispatchRig rig, Setpoint setpoint) {
    return new DispatchRig(
        rig.rigId(),
        rig.measuredPowerW(),
        rig.efficiencyJPerTh(),
        rig.sleepPowerW(),
        rig.powerTarget(),
        rig.sleep(),
        Optional.of(setpoint));
  }

  private static DispatchRig measuring(DispatchRig rig, double measuredW) {
    return new DispatchRig(
        rig.rigId(),
        Optional.of(measuredW),
        rig.efficiencyJPerTh(),
        rig.sleepPowerW(),
        rig.powerTarget(),
        rig.sleep(),
        rig.current());
  }

  private static final List<DispatchRig> MIXED_FLEET =
      List.of(
          asic("s21", 3500, 17.5, 2500),
          asic("s19jpro", 3000, 29.5, 2000),
          asic("s19xp", 3250, 21.5, 2300));

  @Test
  void shedsWorstEfficiencyFirstDownToMinimumThenPartialOnTheMarginalRig() {
    // 9.75 kW measured, cap at 8 kW: aim 7.8 kW, so 1.95 kW to shed.
    DispatchPlan plan = dispatcher.plan(8000, 9750, TEN_MINUTES, MIXED_FLEET);

    assertThat(plan.setpoints().keySet()).containsExactly("s19jpro", "s19xp");
    assertThat(plan.setpoints().get("s19jpro")).isEqualTo(new Setpoint.PowerTarget(2000));
    assertThat(((Setpoint.PowerTarget) plan.setpoints().get("s19xp")).powerW())
        .isCloseTo(3250 - 950, within(0.001));
    assertThat(plan.expectedSiteW()).isCloseTo(8000 * 0.975, within(0.001));
    assertThat(plan.targetReachable()).isTrue();
  }

  @Test
  void sleepsTheWorstRigBeforeCuttingBetterRigsDeeperWhenTargetsCannotReachTheAim() {
    // Minimum targets sum to 6.8 kW; a 5 kW cap (aim 4875 W) needs a sleep. Sleeping the worst
    // rig gives up less per watt than taking the best rig down to its floor, so the best rig only
    // covers what is left.
    DispatchPlan plan = dispatcher.plan(5000, 9750, TEN_MINUTES, MIXED_FLEET);

    assertThat(plan.setpoints())
        .containsEntry("s19jpro", new Setpoint.Sleep())
        .containsEntry("s19xp", new Setpoint.PowerTarget(2300));
    assertThat(((Setpoint.PowerTarget) plan.setpoints().get("s21")).powerW())
        .isCloseTo(2555, within(0.001));
    assertThat(plan.expectedSiteW()).isCloseTo(4875, within(0.001));
    assertThat(plan.targetReachable()).isTrue();
  }

  @Test
  void reportsBestEffortWhenTheFleetCannotMeetTheTarget() {
    // 1 kW of uncontrolled load plus three rigs that can only go down to 20 W each.
    DispatchPlan plan = dispatcher.plan(1000, 10_750, TEN_MINUTES, MIXED_FLEET);

    assertThat(plan.setpoints().values()).containsOnly(new Setpoint.Sleep());
    assertThat(plan.setpoints()).hasSize(3);
    assertThat(plan.expectedSiteW()).isCloseTo(1060, within(0.001));
    assertThat(plan.targetReachable()).isFalse();
    assertThat(plan.shortfallW()).isCloseTo(60, within(0.001));
  }

  @Test
  void changesNothingWhenTheSiteIsAlreadyBelowTheAim() {
    DispatchPlan plan = dispatcher.plan(12_000, 9750, TEN_MINUTES, MIXED_FLEET);

    assertThat(plan.setpoints()).isEmpty();
    assertThat(plan.targetReachable()).isTrue();
  }

  @Test
  void skipsRigsWithoutFreshTelemetry() {
    DispatchRig silent =
        new DispatchRig(
            "silent",
            Optional.empty(),
            40,
            20,
            Optional.of(new KnobRange(1000, 3600, 1)),
            Optional.of(new KnobRange(20, 20, 1)),
            Optional.empty());
    List<DispatchRig> rigs = List.of(silent, asic("s19jpro", 3000, 29.5, 2000));

    DispatchPlan plan = dispatcher.plan(2500, 3000, TEN_MINUTES, rigs);

    assertThat(plan.setpoints()).doesNotContainKey("silent").containsKey("s19jpro");
    assertThat(plan.skipped()).extracting(DispatchPlan.Skipped::rigId).containsExactly("silent");
  }

  @Test
  void usesOnlyKnobsFastEnoughForTheDeadline() {
    DispatchRig slowTarget =
        new DispatchRig(
            "slow-target",
            Optional.of(3000.0),
            30,
            20,
            Optional.of(new KnobRange(2000, 3600, 120)),
            Optional.of(new KnobRange(20, 20, 5)),
            Optional.empty());
    DispatchRig tooSlow =
        new DispatchRig(
            "too-slow",
            Optional.of(3000.0),
            35,
            20,
            Optional.of(new KnobRange(2000, 3600, 120)),
            Optional.of(new KnobRange(20, 20, 60)),
            Optional.empty());

    DispatchPlan plan =
        dispatcher.plan(5000, 6000, Duration.ofSeconds(10), List.of(slowTarget, tooSlow));

    assertThat(plan.setpoints()).containsOnlyKeys("slow-target");
    assertThat(plan.setpoints().get("slow-target")).isEqualTo(new Setpoint.Sleep());
    assertThat(plan.skipped())
        .containsExactly(
            new DispatchPlan.Skipped(
                "too-slow", "knob latency exceeds the time left to the deadline"));
  }

  @Test
  void afterTheDeadlineEveryKnobCountsAgain() {
    DispatchRig slow =
        new DispatchRig(
            "slow",
            Optional.of(3000.0),
            30,
            20,
            Optional.of(new KnobRange(2000, 3600, 120)),
            Optional.empty(),
            Optional.empty());

    DispatchPlan plan = dispatcher.plan(2800, 3000, Duration.ofSeconds(-5), List.of(slow));

    assertThat(plan.setpoints()).containsKey("slow");
  }

  @Test
  void rigsOfUnknownEfficiencyAreShedLast() {
    DispatchRig gpu =
        new DispatchRig(
            "gpu",
            Optional.of(2000.0),
            0,
            50,
            Optional.of(new KnobRange(1000, 2400, 1)),
            Optional.empty(),
            Optional.empty());
    DispatchRig efficient = asic("s21", 3500, 17.5, 2500);

    DispatchPlan plan = dispatcher.plan(5000, 5500, TEN_MINUTES, List.of(gpu, efficient));

    assertThat(plan.setpoints()).containsOnlyKeys("s21");
  }

  @Test
  void closedLoopDeepensHeldTargetsAndSleepsRigsThatDoNotFollowThem() {
    // The first round put s19jpro at 2000 W, but it still draws 2900 W; s19xp follows its target.
    DispatchRig stubborn =
        measuring(holding(asic("s19jpro", 3000, 29.5, 2000), new Setpoint.PowerTarget(2000)), 2900);
    DispatchRig following =
        measuring(holding(asic("s19xp", 3250, 21.5, 2300), new Setpoint.PowerTarget(2800)), 2800);
    DispatchRig untouched = asic("s21", 3500, 17.5, 2500);

    DispatchPlan plan =
        dispatcher.plan(8000, 9200, TEN_MINUTES, List.of(stubborn, following, untouched));

    // aim 7800 W: 1400 W to shed. s19xp goes down to 2300 (500 W), then s21 by the rest (900 W);
    // the rig ignoring its target is not counted on.
    assertThat(plan.setpoints()).doesNotContainKey("s19jpro");
    assertThat(plan.setpoints().get("s19xp")).isEqualTo(new Setpoint.PowerTarget(2300));
    assertThat(((Setpoint.PowerTarget) plan.setpoints().get("s21")).powerW())
        .isCloseTo(2600, within(0.001));
  }

  @Test
  void closedLoopSleepsTheStubbornRigWhenTargetsAreExhausted() {
    DispatchRig stubborn =
        measuring(holding(asic("s19jpro", 3000, 29.5, 2000), new Setpoint.PowerTarget(2000)), 2900);
    DispatchRig atMinimum =
        measuring(holding(asic("s19xp", 3250, 21.5, 2300), new Setpoint.PowerTarget(2300)), 2300);

    DispatchPlan plan = dispatcher.plan(4000, 5200, TEN_MINUTES, List.of(stubborn, atMinimum));

    assertThat(plan.setpoints())
        .containsExactly(java.util.Map.entry("s19jpro", new Setpoint.Sleep()));
    assertThat(plan.targetReachable()).isTrue();
  }

  @Test
  void anUnchangedSetpointIsNotSentAgain() {
    DispatchRig atMinimum =
        measuring(holding(asic("s19xp", 3250, 21.5, 2300), new Setpoint.PowerTarget(2300)), 2300);
    DispatchRig asleep =
        measuring(holding(asic("s19jpro", 3000, 29.5, 2000), new Setpoint.Sleep()), 20);

    DispatchPlan plan = dispatcher.plan(1000, 2320, TEN_MINUTES, List.of(atMinimum, asleep));

    assertThat(plan.setpoints()).containsOnlyKeys("s19xp");
    assertThat(plan.setpoints().get("s19xp")).isEqualTo(new Setpoint.Sleep());
  }
}
