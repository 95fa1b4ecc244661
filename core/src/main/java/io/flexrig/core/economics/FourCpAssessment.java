package io.flexrig.core.economics;

import java.time.YearMonth;

/**
 * Whether curtailing through one month's likely 4CP intervals pays, per kW curtailed.
 *
 * @param month the summer month
 * @param likelyIntervals how many 15-minute intervals the rule flags (all must be curtailed, since
 *     nobody knows in advance which one will be the peak)
 * @param avoidedUsdPerKw transmission charge avoided per kW off during the month's peak
 * @param marginLostUsdPerKw mining (or AI) margin given up per kW over all flagged intervals
 */
public record FourCpAssessment(
    YearMonth month, int likelyIntervals, double avoidedUsdPerKw, double marginLostUsdPerKw) {

  /** Hours of curtailment the month's window asks for. */
  public double curtailedHours() {
    return likelyIntervals * FourCpWindow.INTERVAL_HOURS;
  }

  /** Avoided charge minus margin lost, per kW; positive means curtailing pays. */
  public double netUsdPerKw() {
    return avoidedUsdPerKw - marginLostUsdPerKw;
  }

  /** Curtail through the window when it saves more than it costs. */
  public boolean curtail() {
    return likelyIntervals > 0 && netUsdPerKw() > 0;
  }
}
