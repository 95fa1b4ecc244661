package io.flexrig.sim.cgminer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One cgminer API reply: the STATUS block plus named sections of records, rendered either as the
 * JSON the firmware sends for JSON requests or as the pipe-separated text it sends for plain ones.
 */
final class ApiReply {

  /** A number printed with a fixed count of decimals, as cgminer's API formats them. */
  record Fixed(double value, int decimals) {}

  private final boolean success;
  private final long when;
  private final int code;
  private final String msg;
  private final String description;
  private final Map<String, List<Map<String, Object>>> sections = new LinkedHashMap<>();

  private ApiReply(boolean success, long when, int code, String msg, String description) {
    this.success = success;
    this.when = when;
    this.code = code;
    this.msg = msg;
    this.description = description;
  }

  static ApiReply success(long when, int code, String msg, String description) {
    return new ApiReply(true, when, code, msg, description);
  }

  static ApiReply error(long when, int code, String msg, String description) {
    return new ApiReply(false, when, code, msg, description);
  }

  ApiReply section(String name, List<Map<String, Object>> records) {
    sections.put(name, records);
    return this;
  }

  boolean isSuccess() {
    return success;
  }

  private Map<String, Object> status() {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("STATUS", success ? "S" : "E");
    status.put("When", when);
    status.put("Code", code);
    status.put("Msg", msg);
    status.put("Description", description);
    return status;
  }

  /**
   * The JSON document without the trailing NUL.
   *
   * @param missingCommaInStats reproduce the Antminer bmminer bug that prints {@code }{} between
   *     the two STATS records
   */
  String toJson(boolean missingCommaInStats) {
    StringBuilder out = new StringBuilder(1024);
    out.append('{');
    appendBody(out, missingCommaInStats);
    out.append(",\"id\":1}");
    return out.toString();
  }

  /** The body of this reply inside one element of a multi-command ({@code a+b}) reply. */
  void appendBody(StringBuilder out, boolean missingCommaInStats) {
    out.append("\"STATUS\":[");
    appendObject(out, status());
    out.append(']');
    for (Map.Entry<String, List<Map<String, Object>>> section : sections.entrySet()) {
      out.append(',');
      appendString(out, section.getKey());
      out.append(":[");
      boolean dropComma = missingCommaInStats && section.getKey().equals("STATS");
      List<Map<String, Object>> records = section.getValue();
      for (int i = 0; i < records.size(); i++) {
        if (i > 0 && !dropComma) {
          out.append(',');
        }
        appendObject(out, records.get(i));
      }
      out.append(']');
    }
  }

  /** The cgminer plain-text form: {@code STATUS=S,When=..|SUMMARY,Elapsed=..|}. */
  String toText() {
    StringBuilder out = new StringBuilder(1024);
    appendTextRecord(out, null, status());
    for (Map.Entry<String, List<Map<String, Object>>> section : sections.entrySet()) {
      for (Map<String, Object> record : section.getValue()) {
        appendTextRecord(out, section.getKey(), record);
      }
    }
    return out.toString();
  }

  private static void appendTextRecord(
      StringBuilder out, String sectionName, Map<String, Object> record) {
    boolean first = true;
    // Records that carry their own index (STATS=0, ASC=0, POOL=0) are not prefixed, like cgminer.
    String firstKey = record.isEmpty() ? "" : record.keySet().iterator().next();
    if (sectionName != null && !firstKey.equals(firstKey.toUpperCase(Locale.ROOT))) {
      out.append(sectionName);
      first = false;
    }
    for (Map.Entry<String, Object> field : record.entrySet()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      out.append(field.getKey()).append('=');
      appendTextValue(out, field.getValue());
    }
    out.append('|');
  }

  private static void appendTextValue(StringBuilder out, Object value) {
    if (value instanceof Fixed fixed) {
      out.append(format(fixed));
    } else if (value instanceof Double d) {
      out.append(format(new Fixed(d, 2)));
    } else {
      out.append(value);
    }
  }

  private static void appendObject(StringBuilder out, Map<String, Object> record) {
    out.append('{');
    boolean first = true;
    for (Map.Entry<String, Object> field : record.entrySet()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      appendString(out, field.getKey());
      out.append(':');
      appendValue(out, field.getValue());
    }
    out.append('}');
  }

  private static void appendValue(StringBuilder out, Object value) {
    switch (value) {
      case String s -> appendString(out, s);
      case Fixed fixed -> out.append(format(fixed));
      case Double d -> out.append(format(new Fixed(d, 2)));
      case Boolean b -> out.append(b);
      case Number n -> out.append(n.longValue());
      default -> appendString(out, String.valueOf(value));
    }
  }

  private static String format(Fixed fixed) {
    return String.format(Locale.ROOT, "%." + fixed.decimals() + "f", fixed.value());
  }

  static void appendString(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
