package io.flexrig.openadr.model;

/**
 * Temporal aspects of an interval or, on an event, the default of all its intervals. A start of
 * {@code 0001-01-01} means "now" and a duration of {@code P9999Y} means "until further notice".
 */
public record IntervalPeriod(String start, String duration, String randomizeStart) {
  public static IntervalPeriod of(String start, String duration) {
    return new IntervalPeriod(start, duration, null);
  }
}
