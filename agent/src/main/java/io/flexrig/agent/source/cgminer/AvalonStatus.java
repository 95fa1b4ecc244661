package io.flexrig.agent.source.cgminer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Canaan Avalon firmwares put a whole hash module's status into one string, the {@code MM ID<n>}
 * member of {@code stats}: {@code Ver[1366-...] Temp[25] TMax[81] Fan1[3840] MTmax[80 81 79] PS[0
 * 1215 1279 253 3240 1279 3350] ...}. This splits it into keys and their space-separated values; a
 * value may itself contain spaces, colons and commas ({@code SYSTEMSTATU[Work: In Work, Hash Board:
 * 3 ]}). Pure; tolerant of a string cut short (the last, unclosed value is dropped).
 */
public final class AvalonStatus {
  private AvalonStatus() {}

  public static Map<String, List<String>> parse(String status) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    int i = 0;
    int n = status.length();
    while (i < n) {
      int open = status.indexOf('[', i);
      if (open < 0) {
        break;
      }
      int keyStart = open;
      while (keyStart > i && !Character.isWhitespace(status.charAt(keyStart - 1))) {
        keyStart--;
      }
      String key = status.substring(keyStart, open);
      int depth = 1;
      int close = open + 1;
      while (close < n && depth > 0) {
        char c = status.charAt(close);
        if (c == '[') {
          depth++;
        } else if (c == ']') {
          depth--;
        }
        close++;
      }
      if (depth > 0) {
        break; // cut short inside a value
      }
      if (!key.isEmpty()) {
        out.put(key, split(status.substring(open + 1, close - 1)));
      }
      i = close;
    }
    return out;
  }

  private static List<String> split(String value) {
    List<String> parts = new ArrayList<>();
    for (String p : value.strip().split("\\s+")) {
      if (!p.isEmpty()) {
        parts.add(p);
      }
    }
    return parts;
  }

  /** The first value of a key as a number, or NaN when absent or not a number. */
  static double number(Map<String, List<String>> status, String key, int index) {
    List<String> v = status.get(key);
    if (v == null || v.size() <= index) {
      return Double.NaN;
    }
    String s = v.get(index);
    if (s.endsWith("%")) {
      s = s.substring(0, s.length() - 1);
    }
    try {
      double d = Double.parseDouble(s);
      return Double.isFinite(d) ? d : Double.NaN;
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
