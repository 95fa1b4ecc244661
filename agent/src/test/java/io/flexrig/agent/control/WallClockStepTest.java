package io.flexrig.agent.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexrig.agent.MutableClock;
import io.flexrig.agent.TestProfiles;
import io.flexrig.agent.control.CurtailmentCommand.SetPowerTarget;
import io.flexrig.agent.sampler.Measurement;
import io.flexrig.agent.sampler.RigSnapshot;
import io.flexrig.agent.source.Quality;
import io.flexrig.agent.time.SteadyClock;
import io.flexrig.testkit.SuiteFigures;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Reliability suite, clock jumps: the board's wall clock is stepped while a curtailment is held.
 * The executor runs on the agent's production clock ({@link SteadyClock}), so the curtailment ends
 * at its expiry as measured by elapsed time, whatever the wall clock does meanwhile.
 */
@Tag("reliability")
class WallClockStepTest {
  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  private static final Duration HOLD = Duration.ofMinutes(15);

  private final MutableClock wall = new MutableClock(T0);
  private final AtomicLong monotonic = new AtomicLong();
  private final SteadyClock clock = new SteadyClock(wall, monotonic::get);
  private final List<String> knobCalls = new ArrayList<>();
  private CommandExecutor executor;

  @BeforeEach
  void setUp() {
    WorkloadKnobs knobs =
        new WorkloadKnobs() {
          @Override
          public void setPowerTarget(double watts) {
            knobCalls.add("powertarget " + Math.round(watts));
          }

          @Override
          public void sleep() {
            knobCalls.add("sleep");
          }

          @Override
          public void wake() {
            knobCalls.add("wake");
          }
        };
    CommandJournal journal =
        new CommandJournal() {
          @Override
          public void accepted(CurtailmentCommand command, CommandAck ack) {}

          @Override
          public void finished(CommandResult result) {}
        };
    executor =
        new CommandExecutor(
            clock, TestProfiles.s19jPro(), knobs, journal, r -> {}, Duration.ofSeconds(30));
    executor.submit(
        new CurtailmentCommand(
            "c1", "event-1", T0, T0.plusSeconds(60), T0.plus(HOLD), new SetPowerTarget(2000)));
    executor.step(measured(3068));
  }

  private void elapse(Duration d) {
    monotonic.addAndGet(d.toNanos());
  }

  private RigSnapshot measured(double watts) {
    return new RigSnapshot(
        clock.instant(),
        new Measurement(watts, Quality.GOOD, RigSnapshot.OUTLET_POWER),
        Measurement.NONE,
        Measurement.NONE,
        Measurement.NONE,
        List.of());
  }

  @Test
  void aForwardStepOfTheWallClockDoesNotReleaseTheCurtailmentEarly() {
    elapse(Duration.ofMinutes(1));
    wall.advance(Duration.ofHours(3)); // past the event end by the wall clock
    elapse(Duration.ofSeconds(1));
    executor.step(measured(2000));

    assertThat(executor.mode()).isEqualTo(RigMode.CURTAILED);
    assertThat(knobCalls).containsExactly("powertarget 2000");

    elapse(HOLD);
    executor.step(measured(2000));

    assertThat(executor.mode()).isEqualTo(RigMode.RUNNING);
    assertThat(knobCalls).containsExactly("powertarget 2000", "powertarget 3068");
    SuiteFigures.record(
        WallClockStepTest.class, "forward wall clock steps during a curtailment", 1);
  }

  @Test
  void aBackwardStepOfTheWallClockDoesNotHoldTheCurtailmentPastItsEnd() {
    elapse(Duration.ofMinutes(1));
    wall.advance(Duration.ofHours(-3));
    elapse(HOLD);
    executor.step(measured(2000));

    assertThat(executor.mode()).isEqualTo(RigMode.RUNNING);
    assertThat(knobCalls).containsExactly("powertarget 2000", "powertarget 3068");
    SuiteFigures.record(
        WallClockStepTest.class, "backward wall clock steps during a curtailment", 1);
  }
}
