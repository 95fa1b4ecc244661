package io.flexrig.agent.source.gpio;

import com.pi4j.io.gpio.digital.DigitalState;

/**
 * How a PSU-enable relay is wired: which pin level enables the PSU ({@code active_low} relay boards
 * enable on LOW) and which PSU state is safe when the agent is not running ({@code safe_state}:
 * {@code off} by default, since no agent means nobody enforces the thermal limits). Pure.
 */
public record RelayWiring(boolean activeLow, boolean safePsuEnabled) {

  /** The pin level that gives the PSU state. */
  public DigitalState pinStateFor(boolean psuEnabled) {
    return psuEnabled != activeLow ? DigitalState.HIGH : DigitalState.LOW;
  }
}
