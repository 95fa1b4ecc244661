package io.flexrig.agent.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexrig.agent.MutableClock;
import io.flexrig.agent.TestProfiles;
import io.flexrig.agent.control.CurtailmentCommand.Release;
import io.flexrig.agent.control.CurtailmentCommand.SetPowerTarget;
import io.flexrig.agent.control.CurtailmentCommand.Sleep;
import io.flexrig.agent.control.CurtailmentCommand.Wake;
import io.flexrig.agent.journal.FileCommandJournal;
import io.flexrig.agent.sampler.Measurement;
import io.flexrig.agent.sampler.RigSnapshot;
import io.flexrig.agent.source.Quality;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandExecutorTest {
  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

  private final MutableClock clock = new MutableClock(T0);
  private final RecordingKnobs knobs = new RecordingKnobs();
  private final List<CommandResult> results = new ArrayList<>();
  private final List<String> journal = new ArrayList<>();
  private CommandExecutor executor;

  @BeforeEach
  void setUp() {
    CommandJournal recording =
        new CommandJournal() {
          @Override
          public void accepted(CurtailmentCommand command, CommandAck ack) {
            journal.add("accepted " + command.commandId());
          }

          @Override
          public void finished(CommandResult result) {
            journal.add("finished " + result.commandId() + " " + result.outcome());
          }
        };
    executor =
        new CommandExecutor(
            clock, TestProfiles.s19jPro(), knobs, recording, results::add, Duration.ofSeconds(30));
  }

  private static CurtailmentCommand command(String id, CurtailmentCommand.Action action) {
    return new CurtailmentCommand(
        id, "event-1", T0, T0.plusSeconds(60), T0.plusSeconds(900), action);
  }

  private RigSnapshot measured(double watts) {
    return measured(watts, Quality.GOOD);
  }

  private RigSnapshot measured(double watts, Quality quality) {
    return new RigSnapshot(
        clock.instant(),
        new Measurement(watts, quality, RigSnapshot.OUTLET_POWER),
        Measurement.NONE,
        Measurement.NONE,
        Measurement.NONE,
        List.of());
  }

  @Test
  void powerTargetWithinLimitsIsAcceptedUnclampedAndAppliedThroughThePowerTargetKnob() {
    CommandAck ack = executor.submit(command("c1", new SetPowerTarget(2500)));
    executor.step(measured(3068));

    assertThat(ack.accepted()).isTrue();
    assertThat(ack.clamped()).isFalse();
    assertThat(ack.appliedPowerW()).isEqualTo(2500);
    assertThat(ack.reason()).isEmpty();
    assertThat(ack.receivedAt()).isEqualTo(T0);
    assertThat(knobs.calls).containsExactly("powertarget 2500");
    assertThat(executor.mode()).isEqualTo(RigMode.CURTAILED);
    assertThat(executor.powerTargetW()).isEqualTo(2500);
  }

  @Test
  void powerTargetBelowTheMinimumIsClampedAndTheClampIsReported() {
    CommandAck ack = executor.submit(command("c1", new SetPowerTarget(800)));

    assertThat(ack.accepted()).isTrue();
    assertThat(ack.clamped()).isTrue();
    assertThat(ack.appliedPowerW()).isEqualTo(1500);
    assertThat(ack.reason()).contains("clamped from 800 W to 1500 W");
  }

  @Test
  void powerTargetAboveTheMaximumIsClampedToMaxPower() {
    CommandAck ack = executor.submit(command("c1", new SetPowerTarget(5000)));

    assertThat(ack.clamped()).isTrue();
    assertThat(ack.appliedPowerW()).isEqualTo(3250);
  }

  @Test
  void expiredCommandIsRejectedWithReasonAndNeverApplied() {
    clock.advance(Duration.ofSeconds(901));
    CommandAck ack = executor.submit(command("c1", new SetPowerTarget(2500)));
    executor.step(measured(3068));

    assertThat(ack.accepted()).isFalse();
    assertThat(ack.reason()).contains("expired");
    assertThat(knobs.calls).isEmpty();
    assertThat(journal).isEmpty();
  }

  @Test
  void commandsWithMissingFieldsAreRejected() {
    assertThat(
            executor
                .submit(new CurtailmentCommand("", "", T0, T0, T0.plusSeconds(9), new Sleep()))
                .reason())
        .contains("command_id");
    assertThat(
            executor
                .submit(new CurtailmentCommand("a", "", T0, T0, T0.plusSeconds(9), null))
                .reason())
        .contains("no action");
    assertThat(executor.submit(new CurtailmentCommand("b", "", T0, T0, null, new Sleep())).reason())
        .contains("expires_at");
    assertThat(
            executor
                .submit(
                    new CurtailmentCommand(
                        "c", "", T0, null, T0.plusSeconds(9), new SetPowerTarget(2000)))
                .reason())
        .contains("deadline");
    assertThat(executor.submit(command("d", new SetPowerTarget(Double.NaN))).reason())
        .contains("power_w");
    assertThat(knobs.calls).isEmpty();
  }

  @Test
  void aRepeatedCommandIdIsAcknowledgedAgainButExecutedOnce() {
    CommandAck first = executor.submit(command("c1", new SetPowerTarget(2500)));
    executor.step(measured(3068));
    clock.advance(Duration.ofSeconds(5));
    CommandAck again = executor.submit(command("c1", new SetPowerTarget(2500)));
    executor.step(measured(3000));

    assertThat(again).isEqualTo(first);
    assertThat(knobs.calls).containsExactly("powertarget 2500");
    assertThat(journal).containsExactly("accepted c1");
  }

  @Test
  void acceptedCommandIsJournaledBeforeItIsAcknowledged() {
    executor.submit(command("c1", new Sleep()));

    assertThat(journal).containsExactly("accepted c1");
  }

  @Test
  void measuredPowerAtTargetBeforeDeadlineIsAchieved() {
    executor.submit(command("c1", new SetPowerTarget(2500)));
    executor.step(measured(3068));
    clock.advance(Duration.ofSeconds(10));
    executor.step(measured(2700));
    assertThat(results).isEmpty();

    clock.advance(Duration.ofSeconds(5));
    executor.step(measured(2540)); // within 3 % of 2500

    assertThat(results).hasSize(1);
    CommandResult r = results.getFirst();
    assertThat(r.outcome()).isEqualTo(CommandOutcome.ACHIEVED);
    assertThat(r.measuredPowerW()).isEqualTo(2540);
    assertThat(r.appliedPowerW()).isEqualTo(2500);
    assertThat(r.observedAt()).isEqualTo(T0.plusSeconds(15));
    assertThat(r.detail()).contains("power target 2500 W");
  }

  @Test
  void targetReachedAfterDeadlineIsAchievedLate() {
    executor.submit(command("c1", new SetPowerTarget(2000)));
    executor.step(measured(3068));
    clock.advance(Duration.ofSeconds(70));
    executor.step(measured(2010));

    assertThat(results)
        .extracting(CommandResult::outcome)
        .containsExactly(CommandOutcome.ACHIEVED_LATE);
  }

  @Test
  void targetNotReachedByDeadlinePlusGraceFailsButKeepsHolding() {
    executor.submit(command("c1", new SetPowerTarget(2000)));
    executor.step(measured(3068));
    clock.advance(Duration.ofSeconds(89));
    executor.step(measured(2900));
    assertThat(results).isEmpty();
    clock.advance(Duration.ofSeconds(2));
    executor.step(measured(2900));

    assertThat(results).extracting(CommandResult::outcome).containsExactly(CommandOutcome.FAILED);
    assertThat(results.getFirst().detail()).contains("2900 W still above 2000 W");
    assertThat(executor.activeCommandId()).isEqualTo("c1");
    assertThat(executor.mode()).isEqualTo(RigMode.CURTAILED);
  }

  @Test
  void untrustedMeasurementsNeverCountAsReached() {
    executor.submit(command("c1", new SetPowerTarget(2000)));
    executor.step(measured(1000, Quality.UNCERTAIN));
    executor.step(measured(1000, Quality.BAD));

    assertThat(results).isEmpty();
  }

  @Test
  void heldCommandIsReleasedByItselfAtExpiryEvenWithoutTheController() {
    executor.submit(command("c1", new SetPowerTarget(2000)));
    executor.step(measured(3068));
    clock.advance(Duration.ofSeconds(30));
    executor.step(measured(2000));
    clock.set(T0.plusSeconds(899));
    executor.step(measured(2000));
    assertThat(knobs.calls).containsExactly("powertarget 2000");

    clock.set(T0.plusSeconds(900));
    executor.step(measured(2000));

    assertThat(knobs.calls).containsExactly("powertarget 2000", "powertarget 3068");
    assertThat(executor.mode()).isEqualTo(RigMode.RUNNING);
    assertThat(executor.activeCommandId()).isNull();
    assertThat(results).extracting(CommandResult::outcome).containsExactly(CommandOutcome.ACHIEVED);
  }

  @Test
  void sleepIsHeldUntilExpiryThenTheRigIsWokenAtNameplateTarget() {
    executor.submit(command("s1", new Sleep()));
    executor.step(measured(3068));
    assertThat(executor.mode()).isEqualTo(RigMode.SLEEPING);
    clock.advance(Duration.ofSeconds(12));
    executor.step(measured(40)); // 25 W sleep power + 30 W tolerance
    clock.set(T0.plusSeconds(900));
    executor.step(measured(25));

    assertThat(knobs.calls).containsExactly("sleep", "powertarget 3068", "wake");
    assertThat(results).extracting(CommandResult::outcome).containsExactly(CommandOutcome.ACHIEVED);
    assertThat(results.getFirst().appliedPowerW()).isZero();
  }

  @Test
  void commandExpiringBeforeReachingTargetIsSuperseded() {
    executor.submit(
        new CurtailmentCommand(
            "c1", "", T0, T0.plusSeconds(30), T0.plusSeconds(10), new SetPowerTarget(1500)));
    executor.step(measured(3068));
    clock.advance(Duration.ofSeconds(10));
    executor.step(measured(2500));

    assertThat(results)
        .extracting(CommandResult::outcome)
        .containsExactly(CommandOutcome.SUPERSEDED);
    assertThat(results.getFirst().detail()).contains("expired");
    assertThat(knobs.calls).containsExactly("powertarget 1500", "powertarget 3068");
  }

  @Test
  void aNewCommandSupersedesTheUnfinishedOne() {
    executor.submit(command("c1", new SetPowerTarget(2500)));
    executor.step(measured(3068));
    executor.submit(command("c2", new SetPowerTarget(2000)));
    executor.step(measured(3000));

    assertThat(results).hasSize(1);
    assertThat(results.getFirst().commandId()).isEqualTo("c1");
    assertThat(results.getFirst().outcome()).isEqualTo(CommandOutcome.SUPERSEDED);
    assertThat(knobs.calls).containsExactly("powertarget 2500", "powertarget 2000");
  }

  @Test
  void releaseRestoresTheNameplateTargetAndEndsTheHold() {
    executor.submit(command("c1", new SetPowerTarget(2000)));
    executor.step(measured(3068));
    executor.submit(command("r1", new Release()));
    executor.step(measured(2100));

    assertThat(knobs.calls).containsExactly("powertarget 2000", "powertarget 3068");
    assertThat(executor.mode()).isEqualTo(RigMode.RUNNING);
    assertThat(executor.activeCommandId()).isNull();
    assertThat(results)
        .extracting(CommandResult::commandId, CommandResult::outcome)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("c1", CommandOutcome.SUPERSEDED),
            org.assertj.core.groups.Tuple.tuple("r1", CommandOutcome.ACHIEVED));
  }

  @Test
  void powerTargetWhileAsleepSetsTheTargetBeforeWakingSoTheRigNeverOvershoots() {
    executor.submit(command("s1", new Sleep()));
    executor.step(measured(3068));
    clock.advance(Duration.ofSeconds(60));
    executor.submit(command("c2", new SetPowerTarget(2000)));
    executor.step(measured(25));

    assertThat(knobs.calls).containsExactly("sleep", "powertarget 2000", "wake");
    assertThat(executor.mode()).isEqualTo(RigMode.CURTAILED);
  }

  @Test
  void wakeResumesTheWorkload() {
    executor.submit(command("s1", new Sleep()));
    executor.step(measured(3068));
    clock.advance(Duration.ofSeconds(60));
    executor.submit(command("w1", new Wake()));
    executor.step(measured(25));

    assertThat(knobs.calls).containsExactly("sleep", "wake");
    assertThat(executor.mode()).isEqualTo(RigMode.RUNNING);
  }

  @Test
  void aFailingKnobIsRetriedOnEveryStepAndReportedFailedAfterTheDeadline() {
    knobs.failuresLeft = 100;
    executor.submit(command("c1", new SetPowerTarget(2000)));
    executor.step(measured(3068));
    executor.step(measured(3068));
    assertThat(knobs.attempts).isEqualTo(2);
    clock.advance(Duration.ofSeconds(91));
    executor.step(measured(3068));

    assertThat(results).extracting(CommandResult::outcome).containsExactly(CommandOutcome.FAILED);
    assertThat(results.getFirst().detail()).contains("knob failed", "miner unreachable");
  }

  @Test
  void releaseAtExpiryIsRetriedUntilTheMinerTakesIt() {
    executor.submit(command("c1", new SetPowerTarget(2000)));
    executor.step(measured(3068));
    clock.set(T0.plusSeconds(900));
    knobs.failuresLeft = 2;
    executor.step(measured(2000));
    executor.step(measured(2000));
    assertThat(executor.mode()).isEqualTo(RigMode.CURTAILED);
    executor.step(measured(2000));

    assertThat(executor.mode()).isEqualTo(RigMode.RUNNING);
    assertThat(knobs.calls).containsExactly("powertarget 2000", "powertarget 3068");
  }

  @Test
  void aRigDriftingAboveItsHeldSetpointGetsTheKnobAgain() {
    executor.submit(command("c1", new SetPowerTarget(2000)));
    executor.step(measured(3068));
    clock.advance(Duration.ofSeconds(20));
    executor.step(measured(2000)); // achieved
    clock.advance(Duration.ofSeconds(20));
    executor.step(measured(3068)); // the miner rebooted and forgot its target

    assertThat(knobs.calls).containsExactly("powertarget 2000", "powertarget 2000");
  }

  @Test
  void toleranceIsThreePercentOrThirtyWatts() {
    assertThat(CommandExecutor.tolerance(500)).isEqualTo(30);
    assertThat(CommandExecutor.tolerance(2000)).isEqualTo(60);
  }

  /** Records the knob calls; fails the next {@code failuresLeft} of them. */
  private CommandExecutor restartedWith(CommandJournal journal) {
    return new CommandExecutor(
        clock, TestProfiles.s19jPro(), knobs, journal, results::add, Duration.ofSeconds(30));
  }

  @Test
  void aRestartedExecutorResumesHoldingTheJournaledCurtailmentWithoutReportingItAgain(
      @TempDir Path dir) throws Exception {
    try (FileCommandJournal journal = FileCommandJournal.open(dir, clock)) {
      CommandExecutor first = restartedWith(journal);
      first.submit(command("c1", new SetPowerTarget(2000)));
      first.step(measured(2000));
    }
    assertThat(results).extracting(CommandResult::outcome).containsExactly(CommandOutcome.ACHIEVED);
    knobs.calls.clear();
    clock.advance(Duration.ofSeconds(120));

    try (FileCommandJournal journal = FileCommandJournal.open(dir, clock)) {
      CommandExecutor restarted = restartedWith(journal);
      assertThat(restarted.activeCommandId()).isEqualTo("c1");
      restarted.step(measured(2000));

      // the previous run may have left the miner asleep: target first, then wake into it
      assertThat(knobs.calls).containsExactly("powertarget 2000", "wake");
      assertThat(restarted.mode()).isEqualTo(RigMode.CURTAILED);
      assertThat(results).hasSize(1);
      assertThat(restarted.submit(command("c1", new SetPowerTarget(2000))).accepted()).isTrue();
      assertThat(knobs.calls).as("a repeated id is not executed twice").hasSize(2);

      clock.set(T0.plusSeconds(900));
      restarted.step(measured(2000));
      assertThat(knobs.calls).last().isEqualTo("powertarget 3068");
      assertThat(restarted.mode()).isEqualTo(RigMode.RUNNING);
    }
  }

  @Test
  void aCurtailmentThatExpiredWhileTheAgentWasDownIsReleasedAtRestart(@TempDir Path dir)
      throws Exception {
    try (FileCommandJournal journal = FileCommandJournal.open(dir, clock)) {
      CommandExecutor first = restartedWith(journal);
      first.submit(command("c1", new Sleep()));
      first.step(measured(3068));
    }
    knobs.calls.clear();
    clock.advance(Duration.ofSeconds(1000));

    try (FileCommandJournal journal = FileCommandJournal.open(dir, clock)) {
      CommandExecutor restarted = restartedWith(journal);
      restarted.step(measured(25));
      assertThat(knobs.calls).containsExactly("powertarget 3068", "wake");
      assertThat(restarted.activeCommandId()).isNull();
    }
  }

  @Test
  void aCommandThatCannotBeJournaledIsRejectedAndNotApplied() {
    CommandExecutor executor =
        restartedWith(
            new CommandJournal() {
              @Override
              public void accepted(CurtailmentCommand command, CommandAck ack) throws IOException {
                throw new IOException("disk full");
              }

              @Override
              public void finished(CommandResult result) {}
            });

    CommandAck ack = executor.submit(command("c1", new SetPowerTarget(2000)));
    executor.step(measured(3068));

    assertThat(ack.accepted()).isFalse();
    assertThat(ack.reason()).contains("journal unavailable").contains("disk full");
    assertThat(knobs.calls).isEmpty();
  }

  @Test
  void wakeBeforeTheMinimumOffTimeIsDeferredUntilItHasPassed() {
    executor.submit(command("s1", new Sleep()));
    executor.step(measured(3068));
    clock.advance(Duration.ofSeconds(30));
    executor.submit(command("w1", new Wake()));
    executor.step(measured(25));
    assertThat(knobs.calls).containsExactly("sleep");
    assertThat(executor.mode()).isEqualTo(RigMode.SLEEPING);

    clock.advance(Duration.ofSeconds(30));
    executor.step(measured(25));
    assertThat(knobs.calls).containsExactly("sleep", "wake");
  }

  @Test
  void sleepBeforeTheMinimumOnTimeHoldsTheLowestTargetThenSleeps() {
    executor.submit(command("s1", new Sleep()));
    executor.step(measured(3068));
    clock.advance(Duration.ofSeconds(60));
    executor.submit(command("w1", new Wake()));
    executor.step(measured(25));
    clock.advance(Duration.ofSeconds(10));
    executor.submit(command("s2", new Sleep()));
    executor.step(measured(3068));
    assertThat(knobs.calls).containsExactly("sleep", "wake", "powertarget 1500");

    clock.advance(Duration.ofSeconds(110));
    executor.step(measured(1500));
    assertThat(knobs.calls).containsExactly("sleep", "wake", "powertarget 1500", "sleep");
  }

  /** An envelope the test sets by hand, standing in for the safety loop's verdicts. */
  private static final class SetEnvelope implements SafetyEnvelope {
    double ceiling = Double.POSITIVE_INFINITY;
    boolean cut;

    @Override
    public double ceilingW() {
      return ceiling;
    }

    @Override
    public boolean cutRequired() {
      return cut;
    }

    @Override
    public String reason() {
      return "chip temperature 88 C";
    }
  }

  private CommandExecutor withEnvelope(SafetyEnvelope envelope, WorkloadKnobs k) {
    return new CommandExecutor(
        clock,
        TestProfiles.s19jPro(),
        k,
        CommandJournal.NONE,
        envelope,
        results::add,
        Duration.ofSeconds(30));
  }

  @Test
  void aCommandAboveTheSafetyCeilingIsClampedToItAndTheClampReported() {
    SetEnvelope envelope = new SetEnvelope();
    envelope.ceiling = 2200;
    CommandExecutor executor = withEnvelope(envelope, knobs);

    CommandAck ack = executor.submit(command("c1", new SetPowerTarget(3000)));
    executor.step(measured(3068));

    assertThat(ack.clamped()).isTrue();
    assertThat(ack.appliedPowerW()).isEqualTo(2200);
    assertThat(ack.reason()).contains("safety loop").contains("chip temperature 88 C");
    assertThat(knobs.calls).containsExactly("powertarget 2200");
    assertThat(executor.mode()).isEqualTo(RigMode.SAFETY_LIMITED);
  }

  @Test
  void aFallingCeilingLowersTheRunningTargetAndARisingOneRestoresIt() {
    SetEnvelope envelope = new SetEnvelope();
    CommandExecutor executor = withEnvelope(envelope, knobs);
    executor.step(measured(3068));
    assertThat(knobs.calls).isEmpty();

    envelope.ceiling = 2750;
    executor.step(measured(3068));
    assertThat(knobs.calls).containsExactly("powertarget 2750");
    assertThat(executor.mode()).isEqualTo(RigMode.SAFETY_LIMITED);

    envelope.ceiling = 3250;
    executor.step(measured(2750));
    assertThat(knobs.calls).containsExactly("powertarget 2750", "powertarget 3068");
    assertThat(executor.mode()).isEqualTo(RigMode.RUNNING);
  }

  @Test
  void aSafetyCutSleepsTheRigWhateverTheCommandsSayAndLiftsBackToTheHeldTarget() {
    SetEnvelope envelope = new SetEnvelope();
    CommandExecutor executor = withEnvelope(envelope, knobs);
    executor.submit(command("c1", new SetPowerTarget(2500)));
    executor.step(measured(3068));
    envelope.cut = true;
    envelope.ceiling = 1500;
    executor.step(measured(2500));
    executor.submit(command("c2", new SetPowerTarget(3000)));
    executor.step(measured(25));
    assertThat(knobs.calls).containsExactly("powertarget 2500", "sleep");
    assertThat(executor.mode()).isEqualTo(RigMode.SAFETY_LIMITED);

    clock.advance(Duration.ofSeconds(60));
    envelope.cut = false;
    executor.step(measured(25));
    executor.step(measured(1500));
    // restarted at the lowest target, then the held command re-applied under the ceiling
    assertThat(knobs.calls)
        .containsExactly(
            "powertarget 2500", "sleep", "powertarget 1500", "wake", "powertarget 1500");
    assertThat(executor.powerTargetW()).isEqualTo(1500);
    assertThat(executor.activeCommandId()).isEqualTo("c2");
  }

  @Test
  void aSafetyCutOpensTheRelayWhenSleepDoesNotBringThePowerDown() {
    SetEnvelope envelope = new SetEnvelope();
    RelayKnobs relayKnobs = new RelayKnobs();
    CommandExecutor executor = withEnvelope(envelope, relayKnobs);
    envelope.cut = true;
    executor.step(measured(3068));
    assertThat(relayKnobs.calls).containsExactly("sleep");
    clock.advance(Duration.ofSeconds(25));
    executor.step(measured(3000));

    assertThat(relayKnobs.calls).containsExactly("sleep", "supply off");
    assertThat(executor.mode()).isEqualTo(RigMode.OFF);
  }

  private static final class RelayKnobs implements WorkloadKnobs {
    final List<String> calls = new ArrayList<>();

    @Override
    public void setPowerTarget(double watts) {
      calls.add("powertarget " + Math.round(watts));
    }

    @Override
    public void sleep() {
      calls.add("sleep");
    }

    @Override
    public void wake() {
      calls.add("wake");
    }

    @Override
    public boolean hasSupplySwitch() {
      return true;
    }

    @Override
    public void setSupply(boolean on) {
      calls.add(on ? "supply on" : "supply off");
    }
  }

  private static CurtailmentCommand due(String id, int deadlineS, CurtailmentCommand.Action a) {
    return new CurtailmentCommand(
        id, "event-1", T0, T0.plusSeconds(deadlineS), T0.plusSeconds(900), a);
  }

  @Test
  void aSetpointTooFarForThePowerTargetInTimeSleepsNowAndWakesIntoTheTargetAfterMinOff() {
    executor.submit(due("c1", 10, new SetPowerTarget(2000)));
    executor.step(measured(3068));
    assertThat(knobs.calls).containsExactly("powertarget 2000", "sleep");
    assertThat(executor.mode()).isEqualTo(RigMode.SLEEPING);
    executor.step(measured(25));
    assertThat(results).extracting(CommandResult::outcome).containsExactly(CommandOutcome.ACHIEVED);

    clock.advance(Duration.ofSeconds(60));
    executor.step(measured(25));
    assertThat(knobs.calls)
        .containsExactly("powertarget 2000", "sleep", "powertarget 2000", "wake");
    assertThat(executor.mode()).isEqualTo(RigMode.CURTAILED);
  }

  @Test
  void aDeadlineOnlyTheRelayCanMeetCutsTheSupplyAndTheExpiryRestoresIt() {
    RelayKnobs relay = new RelayKnobs();
    CommandExecutor executor =
        new CommandExecutor(
            clock,
            TestProfiles.s19jPro(),
            relay,
            CommandJournal.NONE,
            SafetyEnvelope.NONE,
            results::add,
            Duration.ofSeconds(30));
    executor.submit(due("c1", 2, new SetPowerTarget(2000)));
    executor.step(measured(3068));
    assertThat(relay.calls).containsExactly("supply off");
    assertThat(executor.mode()).isEqualTo(RigMode.OFF);

    clock.set(T0.plusSeconds(900));
    executor.step(measured(0));
    assertThat(relay.calls).containsExactly("supply off", "supply on", "powertarget 3068");
    assertThat(executor.mode()).isEqualTo(RigMode.RUNNING);
  }

  @Test
  void armingTheFrequencyResponseIsAcceptedWithoutExpiryAndLeavesTheHeldCommandInPlace() {
    FrequencyResponder ffr =
        new FrequencyResponder(
            new io.flexrig.core.profile.FrequencyResponse(
                60,
                59.85,
                59.70,
                io.flexrig.core.profile.CurtailmentMethodKind.SLEEP,
                Double.NaN,
                900,
                59.95));
    executor.frequencyResponder(ffr);
    executor.submit(command("c1", new SetPowerTarget(2500)));

    CommandAck ack =
        executor.submit(
            new CurtailmentCommand(
                "arm-1",
                "",
                T0,
                null,
                null,
                new CurtailmentCommand.ArmFrequencyResponse(true, "ERCOT-FFR")));

    assertThat(ack.accepted()).isTrue();
    assertThat(ffr.armed()).isTrue();
    assertThat(executor.activeCommandId()).isEqualTo("c1");
    assertThat(journal).containsExactly("accepted c1");
  }

  @Test
  void aSwitchGoesToTheSwitcherAndLeavesTheHeldCurtailmentInForce() {
    List<String> switched = new ArrayList<>();
    executor.workloadSwitcher(
        new WorkloadSwitcher() {
          @Override
          public String problemWith(String workload, Instant now) {
            return workload.equals("mining") ? "mining runs at least 900 s (min_run_s)" : null;
          }

          @Override
          public void switchTo(String commandId, String workload, Instant now) {
            switched.add(commandId + " " + workload);
          }
        });
    executor.submit(command("c1", new SetPowerTarget(2500)));

    CommandAck ack =
        executor.submit(command("s1", new CurtailmentCommand.SwitchWorkload("llm-inference")));
    CommandAck held =
        executor.submit(command("s2", new CurtailmentCommand.SwitchWorkload("mining")));

    assertThat(ack.accepted()).isTrue();
    assertThat(switched).containsExactly("s1 llm-inference");
    assertThat(executor.activeCommandId()).isEqualTo("c1");
    assertThat(journal).containsExactly("accepted c1");
    assertThat(held.accepted()).isFalse();
    assertThat(held.reason()).contains("min_run_s");
    assertThat(executor.submit(command("s1", new CurtailmentCommand.SwitchWorkload("x"))))
        .as("idempotent by id")
        .isEqualTo(ack);
  }

  @Test
  void aSwitchIsRejectedOnARigWhoseWorkloadsTheFirmwareRuns() {
    CommandAck ack =
        executor.submit(command("s1", new CurtailmentCommand.SwitchWorkload("llm-inference")));

    assertThat(ack.accepted()).isFalse();
    assertThat(ack.reason()).contains("no supervised workloads");
  }

  @Test
  void armingIsRejectedOnARigWithoutFrequencyResponse() {
    CommandAck ack =
        executor.submit(
            new CurtailmentCommand(
                "arm-1",
                "",
                T0,
                null,
                null,
                new CurtailmentCommand.ArmFrequencyResponse(true, "x")));

    assertThat(ack.accepted()).isFalse();
    assertThat(ack.reason()).contains("frequency_response");
  }

  @Test
  void aRestartedAgentKeepsTheFrequencyResponseArmedAsJournaled(@TempDir Path dir)
      throws Exception {
    var response =
        new io.flexrig.core.profile.FrequencyResponse(
            60,
            59.85,
            59.70,
            io.flexrig.core.profile.CurtailmentMethodKind.SLEEP,
            Double.NaN,
            900,
            59.95);
    try (FileCommandJournal journal = FileCommandJournal.open(dir, clock)) {
      CommandExecutor first = restartedWith(journal);
      first.frequencyResponder(new FrequencyResponder(response));
      first.submit(
          new CurtailmentCommand(
              "arm-1",
              "",
              T0,
              null,
              null,
              new CurtailmentCommand.ArmFrequencyResponse(true, "ERCOT-FFR")));
    }

    try (FileCommandJournal journal = FileCommandJournal.open(dir, clock)) {
      FrequencyResponder responder = new FrequencyResponder(response);
      restartedWith(journal).frequencyResponder(responder);
      assertThat(responder.armed()).isTrue();
    }
  }

  private static final class RecordingKnobs implements WorkloadKnobs {
    final List<String> calls = new ArrayList<>();
    int failuresLeft;
    int attempts;

    private void call(String what) throws IOException {
      attempts++;
      if (failuresLeft > 0) {
        failuresLeft--;
        throw new IOException("miner unreachable");
      }
      calls.add(what);
    }

    @Override
    public void setPowerTarget(double watts) throws IOException {
      call("powertarget " + Math.round(watts));
    }

    @Override
    public void sleep() throws IOException {
      call("sleep");
    }

    @Override
    public void wake() throws IOException {
      call("wake");
    }
  }
}
