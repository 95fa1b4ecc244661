package io.flexrig.controller.compliance;

import io.flexrig.controller.compliance.ComplianceReport.Interval;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * A compliance report as an SVG chart: the site's measured power per quarter hour against the
 * pre-event and like-days baselines and the target, as steps over time. Plain SVG 1.1, no script,
 * readable by browsers and office tools.
 */
public final class ComplianceChart {

  private static final int WIDTH = 800;
  private static final int HEIGHT = 400;
  private static final int LEFT = 70;
  private static final int RIGHT = 20;
  private static final int TOP = 40;
  private static final int BOTTOM = 60;
  private static final DateTimeFormatter HHMM =
      DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

  private ComplianceChart() {}

  public static String render(ComplianceReport r) {
    List<Interval> intervals = r.intervals();
    double max = 0;
    for (Interval i : intervals) {
      for (double v : new double[] {i.preEventKw(), i.likeDaysKw(), i.measuredKw(), i.targetKw()}) {
        if (!Double.isNaN(v)) {
          max = Math.max(max, v);
        }
      }
    }
    double top = niceCeiling(max);
    StringBuilder s = new StringBuilder();
    s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + WIDTH + "\" height=\"" + HEIGHT)
        .append("\" viewBox=\"0 0 " + WIDTH + " " + HEIGHT + "\" font-family=\"sans-serif\"")
        .append(" font-size=\"12\">\n")
        .append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n")
        .append("<text x=\"" + LEFT + "\" y=\"20\" font-size=\"14\">Event ")
        .append(escape(r.event().eventId()))
        .append(" — site ")
        .append(escape(r.event().siteId()))
        .append(r.isFinal() ? "" : " (provisional)")
        .append("</text>\n");
    int plotW = WIDTH - LEFT - RIGHT;
    int plotH = HEIGHT - TOP - BOTTOM;
    // Axes and horizontal grid with kW labels.
    for (int k = 0; k <= 4; k++) {
      double y = TOP + plotH - plotH * k / 4.0;
      s.append(line(LEFT, y, LEFT + plotW, y, "#ddd", 1, null));
      s.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s kW</text>%n",
              LEFT - 6,
              y + 4,
              trim(top * k / 4)));
    }
    s.append(line(LEFT, TOP, LEFT, TOP + plotH, "#333", 1, null));
    s.append(line(LEFT, TOP + plotH, LEFT + plotW, TOP + plotH, "#333", 1, null));
    int n = Math.max(1, intervals.size());
    for (int i = 0; i <= intervals.size() && !intervals.isEmpty(); i++) {
      double x = LEFT + plotW * i / (double) n;
      String label =
          HHMM.format(i < intervals.size() ? intervals.get(i).start() : intervals.getLast().end());
      if (intervals.size() <= 16 || i % Math.ceil(intervals.size() / 16.0) == 0) {
        s.append(
            String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                x,
                TOP + plotH + 16,
                label));
      }
    }
    s.append(series(intervals, Interval::preEventKw, top, "#888", "6,4"));
    s.append(series(intervals, Interval::likeDaysKw, top, "#1f77b4", "2,3"));
    s.append(series(intervals, Interval::targetKw, top, "#d62728", "8,3"));
    s.append(series(intervals, Interval::measuredKw, top, "#2ca02c", null));
    // Legend.
    String[][] legend = {
      {"measured", "#2ca02c", ""},
      {"target", "#d62728", "8,3"},
      {"baseline: middle 8 of 10 days", "#1f77b4", "2,3"},
      {"baseline: pre-event average", "#888", "6,4"}
    };
    int lx = LEFT;
    for (String[] item : legend) {
      int ly = HEIGHT - 18;
      s.append(line(lx, ly, lx + 24, ly, item[1], 2, item[2].isEmpty() ? null : item[2]));
      s.append("<text x=\"" + (lx + 30) + "\" y=\"" + (ly + 4) + "\">" + item[0] + "</text>\n");
      lx += 40 + item[0].length() * 7;
    }
    s.append("</svg>\n");
    return s.toString();
  }

  /** One series as a step line; gaps where there is no data. */
  private static String series(
      List<Interval> intervals,
      ToDoubleFunction<Interval> f,
      double top,
      String color,
      String dash) {
    int plotW = WIDTH - LEFT - RIGHT;
    int plotH = HEIGHT - TOP - BOTTOM;
    int n = Math.max(1, intervals.size());
    StringBuilder d = new StringBuilder();
    boolean pen = false;
    for (int i = 0; i < intervals.size(); i++) {
      double v = f.applyAsDouble(intervals.get(i));
      if (Double.isNaN(v)) {
        pen = false;
        continue;
      }
      double x0 = LEFT + plotW * i / (double) n;
      double x1 = LEFT + plotW * (i + 1) / (double) n;
      double y = TOP + plotH - (top == 0 ? 0 : plotH * v / top);
      d.append(String.format(Locale.ROOT, pen ? "L%.1f,%.1f " : "M%.1f,%.1f ", x0, y));
      d.append(String.format(Locale.ROOT, "L%.1f,%.1f ", x1, y));
      pen = true;
    }
    if (d.isEmpty()) {
      return "";
    }
    return "<path d=\""
        + d.toString().strip()
        + "\" fill=\"none\" stroke=\""
        + color
        + "\" stroke-width=\"2\""
        + (dash == null ? "" : " stroke-dasharray=\"" + dash + "\"")
        + "/>\n";
  }

  private static String line(
      double x1, double y1, double x2, double y2, String color, int width, String dash) {
    return String.format(
        Locale.ROOT,
        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%d\"%s/>%n",
        x1,
        y1,
        x2,
        y2,
        color,
        width,
        dash == null ? "" : " stroke-dasharray=\"" + dash + "\"");
  }

  /** 1, 2 or 5 times a power of ten, at or above {@code v}. */
  static double niceCeiling(double v) {
    if (!(v > 0)) {
      return 1;
    }
    double p = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * p >= v) {
        return m * p;
      }
    }
    return 10 * p;
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
