package io.flexrig.agent.time;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexrig.agent.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SteadyClockTest {
  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

  private final MutableClock wall = new MutableClock(T0);
  private final AtomicLong monotonic = new AtomicLong(5_000_000_000L);
  private final SteadyClock clock = new SteadyClock(wall, monotonic::get);

  private void elapse(Duration d) {
    monotonic.addAndGet(d.toNanos());
  }

  @Test
  void advancesWithTheMonotonicClockNotTheWallClock() {
    elapse(Duration.ofSeconds(30));
    wall.advance(Duration.ofHours(2)); // NTP steps the board's clock

    assertThat(clock.instant()).isEqualTo(T0.plusSeconds(30));
    assertThat(clock.wallOffset()).isEqualTo(Duration.ofHours(2).plusSeconds(-30));
  }

  @Test
  void aBackwardWallStepDoesNotMakeTimeRunBackward() {
    elapse(Duration.ofSeconds(10));
    Instant before = clock.instant();
    wall.advance(Duration.ofHours(-1));
    elapse(Duration.ofMillis(1));

    assertThat(clock.instant()).isAfter(before);
  }

  @Test
  void alignsToTheControllersClockWhenItDiffersBeyondNetworkDelay() {
    elapse(Duration.ofSeconds(5));
    Instant controller = T0.plusSeconds(5).plus(Duration.ofMinutes(7));

    Duration step = clock.alignTo(controller);
    elapse(Duration.ofSeconds(1));

    assertThat(step).isEqualTo(Duration.ofMinutes(7));
    assertThat(clock.instant()).isEqualTo(controller.plusSeconds(1));
  }

  @Test
  void aDifferenceWithinToleranceIsTakenAsNetworkDelayAndIgnored() {
    Duration step = clock.alignTo(T0.plusMillis(1500));

    assertThat(step).isZero();
    assertThat(clock.instant()).isEqualTo(T0);
  }
}
