package io.flexrig.core.economics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkloadChoiceTest {
  private static final Instant T0 = Instant.parse("2026-01-10T00:00:00Z");

  /** 3 USD to switch, held at least an hour, 0.25 USD/h deadband: a gain must exceed 3.25 USD/h. */
  private static final SwitchingPolicy POLICY = new SwitchingPolicy(3.0, Duration.ofHours(1), 0.25);

  private static Instant t(int minutes) {
    return T0.plus(Duration.ofMinutes(minutes));
  }

  @Test
  void h100NodePrefersAiAtAnySensiblePowerPrice() throws Exception {
    // One H100 node or three S21s on the same 10.5 kW feeder.
    HybridSlot slot =
        new HybridSlot(
            EconomicsFixtures.profile("antminer-s21"),
            3,
            EconomicsFixtures.profile("hgx-h100-8x"),
            1);
    AiRevenue ai = EconomicsFixtures.seeds().aiRevenue("hgx-h100-8x");
    Hashprice hashprice = EconomicsFixtures.january();

    for (double price : List.of(-0.02, 0.0, 0.03, 0.05, 0.10, 0.25, 0.50, 1.00)) {
      assertThat(slot.margins(hashprice, ai, price).best())
          .as("at " + price)
          .isEqualTo(Workload.AI);
    }
    // At 0.05: AI = 12.8 - 10.2 * 0.05 - 3 S21 asleep (0.09 kW * 0.05) = 12.2855 USD/h;
    // mining = 3 * (200 * 0.00159499 - 0.175) - H100 asleep (2 kW * 0.05) = 0.331996 USD/h.
    WorkloadMargins at5 = slot.margins(hashprice, ai, 0.05);
    assertThat(at5.marginOf(Workload.AI).getAsDouble()).isCloseTo(12.2855, within(1e-9));
    assertThat(at5.marginOf(Workload.MINING).getAsDouble()).isCloseTo(0.331996, within(1e-5));
    assertThat(at5.marginOf(Workload.CURTAILED).getAsDouble()).isCloseTo(-0.1045, within(1e-12));

    WorkloadChoice choice = new WorkloadChoice(POLICY, Workload.MINING, T0);
    WorkloadDecision d = choice.decide(t(120), slot, hashprice, ai, 0.05);
    assertThat(d.workload()).isEqualTo(Workload.AI);
    assertThat(d.switched()).isTrue();
    assertThat(d.expectedMarginUsdPerHour()).isCloseTo(12.2855, within(1e-9));
  }

  @Test
  void smallSwingsAroundEqualMarginsNeverFlipTheChoice() {
    WorkloadChoice choice = new WorkloadChoice(POLICY, Workload.AI, T0);
    int switches = 0;
    // Hourly for a day, mining and AI swap the lead by 2 USD/h each hour: below 3.25.
    for (int hour = 1; hour <= 24; hour++) {
      double mining = hour % 2 == 0 ? 11 : 9;
      WorkloadDecision d =
          choice.decide(t(60 * hour), WorkloadMargins.of(mining, 20 - mining, -0.1));
      switches += d.switched() ? 1 : 0;
      assertThat(d.workload()).isEqualTo(Workload.AI);
    }
    assertThat(switches).isZero();

    // Without hysteresis the same series flips every hour from hour 2 on: 23 switches.
    WorkloadChoice jumpy =
        new WorkloadChoice(new SwitchingPolicy(0, Duration.ofMinutes(1), 0), Workload.AI, T0);
    int jumps = 0;
    for (int hour = 1; hour <= 24; hour++) {
      double mining = hour % 2 == 0 ? 11 : 9;
      jumps +=
          jumpy.decide(t(60 * hour), WorkloadMargins.of(mining, 20 - mining, -0.1)).switched()
              ? 1
              : 0;
    }
    assertThat(jumps).isEqualTo(23);
  }

  @Test
  void aLargeEnoughGainSwitchesButOnlyAfterTheHoldTime() {
    WorkloadChoice choice = new WorkloadChoice(POLICY, Workload.AI, T0);

    // Gain 1 USD/h: below 3.25, keep AI.
    assertThat(choice.decide(t(120), WorkloadMargins.of(10, 9, -0.1)).switched()).isFalse();
    // Gain 4 USD/h: above 0.25 + 3 / 1 h, switch to mining.
    WorkloadDecision toMining = choice.decide(t(180), WorkloadMargins.of(13, 9, -0.1));
    assertThat(toMining.switched()).isTrue();
    assertThat(toMining.workload()).isEqualTo(Workload.MINING);
    assertThat(toMining.expectedMarginUsdPerHour()).isEqualTo(13);
    // 30 min later AI leads by 4 USD/h, but mining has been held only half the hour.
    WorkloadDecision held = choice.decide(t(210), WorkloadMargins.of(9, 13, -0.1));
    assertThat(held.workload()).isEqualTo(Workload.MINING);
    assertThat(held.expectedMarginUsdPerHour()).isEqualTo(9);
    assertThat(held.reason()).contains("held");
    // After the hour it may switch back.
    assertThat(choice.decide(t(240), WorkloadMargins.of(9, 13, -0.1)).workload())
        .isEqualTo(Workload.AI);
    assertThat(choice.since()).isEqualTo(t(240));
  }

  @Test
  void lossMakingWorkIsCurtailedOnceTheLossBeatsTheThreshold() {
    WorkloadChoice choice = new WorkloadChoice(POLICY, Workload.MINING, T0);

    // Mining -2 vs curtailed -0.1: gain 1.9 < 3.25, keep (the loss is smaller than a restart).
    assertThat(choice.decide(t(90), WorkloadMargins.of(-2, -5, -0.1)).workload())
        .isEqualTo(Workload.MINING);
    // Mining -6 vs curtailed -0.1: gain 5.9, curtail.
    WorkloadDecision d = choice.decide(t(95), WorkloadMargins.of(-6, -9, -0.1));
    assertThat(d.workload()).isEqualTo(Workload.CURTAILED);
    assertThat(d.expectedMarginUsdPerHour()).isEqualTo(-0.1);
  }

  @Test
  void gpuOnlySlotChoosesBetweenAiAndCurtailed() throws Exception {
    HybridSlot gpus = new HybridSlot(null, 0, EconomicsFixtures.profile("gpu-rig-8x-rtx4090"), 2);
    AiRevenue ai = EconomicsFixtures.seeds().aiRevenue("gpu-rig-8x-rtx4090");

    WorkloadMargins m = gpus.margins(EconomicsFixtures.january(), ai, 0.05);

    assertThat(m.available(Workload.MINING)).isFalse();
    // 2 rigs * (1.56 - 4.2 * 0.05) = 2.70 USD/h.
    assertThat(m.marginOf(Workload.AI).getAsDouble()).isCloseTo(2.70, within(1e-12));
    assertThat(m.best()).isEqualTo(Workload.AI);
    // A slot left on MINING without miners moves at once, hysteresis or not.
    WorkloadDecision d = new WorkloadChoice(POLICY, Workload.MINING, T0).decide(T0, m);
    assertThat(d.workload()).isEqualTo(Workload.AI);
  }

  @Test
  void switchThresholdAmortisesTheCostOverTheHold() {
    assertThat(POLICY.switchThresholdUsdPerHour()).isEqualTo(3.25);
    assertThat(new SwitchingPolicy(3, Duration.ofMinutes(30), 0).switchThresholdUsdPerHour())
        .isEqualTo(6);
  }
}
