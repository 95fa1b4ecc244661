package io.flexrig.controller.compliance;

import io.flexrig.controller.compliance.ComplianceReport.BaselineMethod;
import io.flexrig.controller.compliance.ComplianceReport.Interval;
import java.util.Locale;

/**
 * A compliance report as CSV (RFC 4180, header line first): one line per quarter hour, then one per
 * rig after a blank line. Empty cells where there is no data; kW with three decimals.
 */
public final class ComplianceCsv {

  private ComplianceCsv() {}

  public static String render(ComplianceReport r) {
    BaselineMethod method = r.deltaBaseline();
    StringBuilder b = new StringBuilder();
    b.append("event_id,interval_start,interval_end,covered_s,pre_event_baseline_kw,")
        .append("like_days_baseline_kw,measured_kw,target_kw,delta_kw,at_target\r\n");
    for (Interval i : r.intervals()) {
      b.append(r.event().eventId())
          .append(',')
          .append(i.start())
          .append(',')
          .append(i.end())
          .append(',')
          .append(number(i.coveredS()))
          .append(',')
          .append(number(i.preEventKw()))
          .append(',')
          .append(number(i.likeDaysKw()))
          .append(',')
          .append(number(i.measuredKw()))
          .append(',')
          .append(number(i.targetKw()))
          .append(',')
          .append(number(i.deltaKw(method)))
          .append(',')
          .append(i.atTarget())
          .append("\r\n");
    }
    b.append("\r\nrig_id,before_kw,during_kw,shed_kw,share\r\n");
    for (var rig : r.rigs()) {
      b.append(quoted(rig.rigId()))
          .append(',')
          .append(number(rig.beforeKw()))
          .append(',')
          .append(number(rig.duringKw()))
          .append(',')
          .append(number(rig.shedKw()))
          .append(',')
          .append(String.format(Locale.ROOT, "%.4f", r.share(rig)))
          .append("\r\n");
    }
    return b.toString();
  }

  static String number(double v) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.3f", v);
  }

  private static String quoted(String s) {
    return s.contains(",") || s.contains("\"") || s.contains("\n")
        ? "\"" + s.replace("\"", "\"\"") + "\""
        : s;
  }
}
