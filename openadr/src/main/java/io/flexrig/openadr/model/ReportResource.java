package io.flexrig.openadr.model;

import java.util.List;

/** Report data of one resource; {@code AGGREGATED_REPORT} sums several resources. */
public record ReportResource(
    String resourceName, IntervalPeriod intervalPeriod, List<Interval> intervals) {
  public static final String AGGREGATED_REPORT = "AGGREGATED_REPORT";
}
