package io.flexrig.controller.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The dispatcher's merit order by revenue lost per watt along each rig's curve, and its pacing. */
class MeritOrderTest {

  private static final Duration TEN_MINUTES = Duration.ofMinutes(10);
  private final Dispatcher dispatcher = new Dispatcher(0.0, 0.02, Duration.ofSeconds(60));

  /**
   * A miner at 3000 W whose top 1000 W earn {@code topUsdPerKwh} and whose next 1000 W, down to its
   * 1000 W floor, earn {@code lowUsdPerKwh}; 1 USD/h at the floor.
   */
  private static DispatchRig miner(String id, double topUsdPerKwh, double lowUsdPerKwh) {
    RevenueCurve curve =
        RevenueCurve.of(
            new double[] {1000, 2000, 3000},
            new double[] {1, 1 + lowUsdPerKwh, 1 + lowUsdPerKwh + topUsdPerKwh});
    return new DispatchRig(
            id,
            Optional.of(3000.0),
            25,
            20,
            Optional.of(new KnobRange(1000, 3000, 1)),
            Optional.of(new KnobRange(20, 20, 2)),
            Optional.empty())
        .withNameplate(3000)
        .withRevenue(curve);
  }

  /** A GPU machine earning 1.2 USD/kWh along its power limit, 2000 W down to 1000 W. */
  private static DispatchRig gpu(String id) {
    return new DispatchRig(
            id,
            Optional.of(2000.0),
            0,
            100,
            Optional.of(new KnobRange(1000, 2000, 1)),
            Optional.of(new KnobRange(100, 100, 5)),
            Optional.empty())
        .withNameplate(2000)
        .withRevenue(RevenueCurve.of(new double[] {1000, 2000}, new double[] {1.2, 2.4}));
  }

  private static double targetW(DispatchPlan plan, String rigId) {
    return ((Setpoint.PowerTarget) plan.setpoints().get(rigId)).powerW();
  }

  @Test
  void cutsTheCheapTopOfEveryCurveBeforeTheDearBottomOfAny() {
    // a: top 0.02 USD/kWh, bottom 0.09; b: top 0.05, bottom 0.06.
    List<DispatchRig> rigs = List.of(miner("a", 0.02, 0.09), miner("b", 0.05, 0.06));

    DispatchPlan small = dispatcher.plan(5500, 6000, TEN_MINUTES, rigs);
    assertThat(small.setpoints()).containsOnlyKeys("a");
    assertThat(targetW(small, "a")).isCloseTo(2500, within(1e-6));

    DispatchPlan larger = dispatcher.plan(3500, 6000, TEN_MINUTES, rigs);
    // a's top (1000 W), b's top (1000 W), then b's bottom (cheaper than a's) for the last 500 W.
    assertThat(targetW(larger, "a")).isCloseTo(2000, within(1e-6));
    assertThat(targetW(larger, "b")).isCloseTo(1500, within(1e-6));
    assertThat(larger.setpoints().keySet()).containsExactly("a", "b");
  }

  @Test
  void keepsValuableWorkRunningAndSleepsMinersInsteadOfLoweringEveryTarget() {
    List<DispatchRig> rigs =
        List.of(gpu("gpu"), miner("m1", 0.03, 0.04), miner("m2", 0.035, 0.045));

    // 8 kW measured, cap 2.04 kW: exactly what sleeping both miners sheds. Every miner watt,
    // even the 1.02 USD/kWh between floor and sleep, earns less than the GPU's 1.2.
    DispatchPlan plan = dispatcher.plan(2040, 8000, TEN_MINUTES, rigs);

    assertThat(plan.setpoints())
        .containsExactly(
            Map.entry("m1", new Setpoint.Sleep()), Map.entry("m2", new Setpoint.Sleep()));
    assertThat(plan.targetReachable()).isTrue();
  }

  @Test
  void sleepsARigOutrightWhenSleepingCostsLessPerWattThanItsFloorSteps() {
    // Revenue falls faster than power: every point below the top lies under the straight line to
    // sleep, so the envelope goes from the top straight to sleep (0.1 USD/kWh).
    RevenueCurve flatTop =
        RevenueCurve.of(new double[] {1000, 2000, 3000}, new double[] {0.05, 0.1, 0.3});
    DispatchRig weak = miner("weak", 0, 0).withRevenue(flatTop);
    DispatchRig strong = miner("strong", 0.2, 0.3);

    DispatchPlan plan = dispatcher.plan(3100, 6000, TEN_MINUTES, List.of(weak, strong));

    assertThat(plan.setpoints()).containsExactly(Map.entry("weak", new Setpoint.Sleep()));
  }

  @Test
  void setsAsideASleepThatOvershootsWhenPartialStepsCostLess() {
    // 100 W to shed: sleeping rig a (cheapest per watt, but 2980 W) would give up far more than
    // the 100 W cut from the top of b.
    RevenueCurve cheap =
        RevenueCurve.of(new double[] {1000, 2000, 3000}, new double[] {0.5, 0.55, 0.6});
    DispatchRig a =
        new DispatchRig(
                "a",
                Optional.of(3000.0),
                40,
                20,
                Optional.empty(),
                Optional.of(new KnobRange(20, 20, 1)),
                Optional.empty())
            .withRevenue(cheap);
    DispatchRig b = miner("b", 0.05, 0.06);

    DispatchPlan plan = dispatcher.plan(5900, 6000, TEN_MINUTES, List.of(a, b));

    assertThat(plan.setpoints()).containsOnlyKeys("b");
    assertThat(targetW(plan, "b")).isCloseTo(2900, within(1e-6));
  }

  @Test
  void givesTheOvershootOfACheapSleepBackFromTheDearestTargets() {
    // 2500 W to shed. Sleeping a (0.2 USD/h per kW) beats cutting b's bottom; b's cut is then
    // given back by the sleep's overshoot.
    RevenueCurve cheap =
        RevenueCurve.of(new double[] {1000, 2000, 3000}, new double[] {0.2, 0.4, 0.6});
    DispatchRig a =
        new DispatchRig(
                "a",
                Optional.of(3000.0),
                40,
                20,
                Optional.empty(),
                Optional.of(new KnobRange(20, 20, 1)),
                Optional.empty())
            .withRevenue(cheap);
    DispatchRig b = miner("b", 0.05, 0.9);

    DispatchPlan plan = dispatcher.plan(3500, 6000, TEN_MINUTES, List.of(a, b));

    assertThat(plan.setpoints()).containsExactly(Map.entry("a", new Setpoint.Sleep()));
    assertThat(plan.expectedSiteW()).isCloseTo(3020, within(1e-6));
  }

  @Test
  void aRigWokenWithinItsMinimumOnTimeIsNotSleptAgain() {
    DispatchRig justWoken =
        new DispatchRig(
                "woken",
                Optional.of(3000.0),
                40,
                20,
                Optional.empty(),
                Optional.of(new KnobRange(20, 20, 1)),
                Optional.empty())
            .withRevenue(RevenueCurve.proportional(0.01, 3000))
            .withPacing(new Pacing(0, 120, 60, 30, Double.POSITIVE_INFINITY));
    DispatchRig other = miner("other", 0.05, 0.06);

    DispatchPlan plan = dispatcher.plan(5000, 6000, TEN_MINUTES, List.of(justWoken, other));

    assertThat(plan.setpoints()).containsOnlyKeys("other");

    DispatchPlan later =
        dispatcher.plan(
            5000,
            6000,
            TEN_MINUTES,
            List.of(justWoken.withPacing(justWoken.pacing().at(121, 121)), other));
    assertThat(later.setpoints()).containsEntry("woken", new Setpoint.Sleep());
  }

  @Test
  void aPowerTargetMovesNoFurtherThanTheRampAllowsBeforeTheDeadline() {
    DispatchRig slowRamp = miner("slow", 0.01, 0.01).withPacing(new Pacing(10, 0, 0, 1e9, 1e9));
    DispatchRig other = miner("other", 0.05, 0.06);

    // 30 s left at 10 W/s: at most 300 W from the slow rig's target.
    DispatchPlan plan =
        dispatcher.plan(5000, 6000, Duration.ofSeconds(30), List.of(slowRamp, other));

    assertThat(targetW(plan, "slow")).isCloseTo(2700, within(1e-6));
    assertThat(targetW(plan, "other")).isCloseTo(2300, within(1e-6));
  }

  @Test
  void releasesTheRigsThatEarnMostPerWattFirstUpToTheAim() {
    DispatchRig gpuHeld = gpu("gpu").holding(new Setpoint.PowerTarget(1000)).measuring(1000);
    DispatchRig minerAsleep = miner("m", 0.03, 0.04).holding(new Setpoint.Sleep()).measuring(20);

    // Target 4000 W, site at 1020 W: 2980 W of room. The GPU's 1000 W come back first, then the
    // miner wakes (whole: 980 W to its floor) and climbs with what is left.
    ReleasePlan plan = dispatcher.release(4000, 1020, List.of(gpuHeld, minerAsleep));

    assertThat(plan.released()).containsExactly("gpu");
    assertThat(plan.raised()).containsOnlyKeys("m");
    assertThat(plan.raised().get("m").powerW()).isCloseTo(2000, within(1e-6));
    assertThat(plan.expectedSiteW()).isCloseTo(4000, within(1e-6));
  }

  @Test
  void releaseRespectsHoldTimesMinimumOffTimesAndTheDeadband() {
    DispatchRig heldBriefly =
        gpu("gpu")
            .holding(new Setpoint.PowerTarget(1000))
            .measuring(1000)
            .withPacing(new Pacing(0, 0, 0, 1e9, 10));
    DispatchRig asleepBriefly =
        miner("m", 0.03, 0.04)
            .holding(new Setpoint.Sleep())
            .measuring(20)
            .withPacing(new Pacing(0, 120, 60, 30, 1e9));

    assertThat(dispatcher.release(4000, 1020, List.of(heldBriefly, asleepBriefly)).isEmpty())
        .isTrue();
    // Within the deadband (2 % of the target below the aim) nothing moves either.
    DispatchRig gpuHeld = gpu("gpu").holding(new Setpoint.PowerTarget(1000)).measuring(1000);
    assertThat(dispatcher.release(1020, 1000, List.of(gpuHeld)).isEmpty()).isTrue();
  }

  @Test
  void aSleepingRigThatCannotWakeWithinTheRoomStaysAsleep() {
    DispatchRig minerAsleep = miner("m", 0.03, 0.04).holding(new Setpoint.Sleep()).measuring(20);

    // 880 W of room; waking takes the rig from 20 W to its 1000 W floor at once.
    ReleasePlan plan = dispatcher.release(900, 20, List.of(minerAsleep));

    assertThat(plan.isEmpty()).isTrue();
  }

  @Test
  void aShortEventPrefersPowerTargetsWhenASleepWouldOutlastIt() {
    // Sleeping "weak" is cheapest per watt, but it must then stay off 60 s; for a 20 s event
    // that costs three times its revenue, so cutting "strong" is cheaper.
    RevenueCurve flatTop =
        RevenueCurve.of(new double[] {1000, 2000, 3000}, new double[] {0.05, 0.1, 0.3});
    DispatchRig weak =
        miner("weak", 0, 0)
            .withRevenue(flatTop)
            .withPacing(new Pacing(0, 0, 60, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY));
    DispatchRig strong = miner("strong", 0.2, 0.3);

    DispatchPlan longEvent =
        dispatcher.plan(3100, 6000, TEN_MINUTES, Duration.ofHours(1), List.of(weak, strong));
    DispatchPlan shortEvent =
        dispatcher.plan(3100, 6000, TEN_MINUTES, Duration.ofSeconds(20), List.of(weak, strong));

    assertThat(longEvent.setpoints()).containsEntry("weak", new Setpoint.Sleep());
    assertThat(shortEvent.setpoints()).doesNotContainEntry("weak", new Setpoint.Sleep());
    assertThat(shortEvent.targetReachable()).isTrue();
  }
}
