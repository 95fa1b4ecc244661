package io.flexrig.controller.price;

/** What price-driven dispatch asks of one rig now. */
public sealed interface PriceDecision {

  /** Leave the rig as it is (nothing to gain, or a hold or minimum on/off time forbids it). */
  record Keep(String why) implements PriceDecision {}

  /** Back to normal operation: release any price-driven setpoint. */
  record Run() implements PriceDecision {}

  /** Hold this power target: the price makes the top of the curve lose money. */
  record Reduce(double powerW) implements PriceDecision {}

  /** Sleep: no point of the curve pays for its power, or a 4CP peak is likely. */
  record Sleep(boolean peakAvoidance) implements PriceDecision {}
}
