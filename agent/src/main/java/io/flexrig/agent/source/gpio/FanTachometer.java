package io.flexrig.agent.source.gpio;

/**
 * Fan speed from tachometer pulses. A PC/server fan's open-collector tach line pulls low {@code
 * pulsesPerRevolution} times per turn (2 for almost every 4-wire fan, Intel 4-wire PWM fan spec);
 * counting falling edges over a window gives rpm = edges / pulses per revolution / seconds x 60.
 * Pure.
 *
 * @param pulsesPerRevolution tach pulses per turn, 1 to 8
 */
public record FanTachometer(int pulsesPerRevolution) {

  public FanTachometer {
    if (pulsesPerRevolution < 1 || pulsesPerRevolution > 8) {
      throw new IllegalArgumentException(
          "pulses_per_revolution must be 1 to 8: " + pulsesPerRevolution);
    }
  }

  /**
   * The speed over a window.
   *
   * @param fallingEdges falling edges counted in the window
   * @param windowNanos length of the window
   * @return rpm, or NaN when the window is empty
   */
  public double rpm(long fallingEdges, long windowNanos) {
    if (windowNanos <= 0 || fallingEdges < 0) {
      return Double.NaN;
    }
    return fallingEdges * 60e9 / ((double) pulsesPerRevolution * windowNanos);
  }
}
