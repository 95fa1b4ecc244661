package io.flexrig.agent.source.gpio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FanTachometerTest {

  @Test
  void twoPulsesPerRevolutionIsTheFourWireFanStandard() {
    // 100 Hz tach signal: 50 rev/s, 3000 rpm
    assertThat(new FanTachometer(2).rpm(100, 1_000_000_000L)).isEqualTo(3000.0);
    assertThat(new FanTachometer(1).rpm(100, 1_000_000_000L)).isEqualTo(6000.0);
  }

  @Test
  void anEmptyWindowHasNoSpeed() {
    assertThat(new FanTachometer(2).rpm(5, 0)).isNaN();
  }

  @Test
  void dutyIsClampedToTheFansMinimumAndFullSpeedIsSafe() {
    FanDuty duty = new FanDuty(20);
    assertThat(duty.clamp(5)).isEqualTo(20);
    assertThat(duty.clamp(150)).isEqualTo(100);
    assertThat(duty.clamp(Double.NaN)).isEqualTo(FanDuty.SAFE_PERCENT);
    assertThatThrownBy(() -> new FanTachometer(0)).hasMessageContaining("pulses_per_revolution");
  }
}
