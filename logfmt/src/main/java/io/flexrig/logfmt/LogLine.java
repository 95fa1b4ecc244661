package io.flexrig.logfmt;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import org.slf4j.event.Level;

/**
 * Formats one log event as one logfmt line: {@code level=info logger=RigAgent msg="..." rig=r1}.
 * Values are quoted when they hold spaces, quotes, {@code =} or control characters; newlines are
 * escaped, so an event is always exactly one line, and a stack trace becomes a {@code stack} field.
 */
public final class LogLine {
  /** Frames kept in the {@code stack} field per exception, and causes followed. */
  static final int FRAMES_PER_EXCEPTION = 12;

  static final int MAX_CAUSES = 5;

  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private LogLine() {}

  /**
   * One event as one line ending in {@code \n}.
   *
   * @param time when it happened; null under journald, which stamps lines itself
   * @param journald prefix the syslog priority ({@code <3>} error ... {@code <7>} debug) that
   *     journald reads and strips
   * @param fields the event's own key-value pairs (and the MDC), after {@code msg}
   * @param error the exception, or null
   */
  public static String format(
      Instant time,
      boolean journald,
      Level level,
      String logger,
      String message,
      Map<String, ?> fields,
      Throwable error) {
    StringBuilder b = new StringBuilder(128);
    if (journald) {
      b.append('<').append(priority(level)).append('>');
    }
    if (time != null) {
      b.append("ts=").append(TIMESTAMP.format(time)).append(' ');
    }
    b.append("level=").append(level.name().toLowerCase(Locale.ROOT));
    field(b, "logger", shortName(logger));
    field(b, "msg", message == null ? "" : message);
    for (Map.Entry<String, ?> e : fields.entrySet()) {
      field(b, key(e.getKey()), String.valueOf(e.getValue()));
    }
    if (error != null) {
      field(b, "error", describe(error));
      Throwable root = error;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      if (root != error) {
        field(b, "cause", describe(root));
      }
      field(b, "stack", stack(error));
    }
    return b.append('\n').toString();
  }

  /** The syslog priority journald understands: err 3, warning 4, info 6, debug 7. */
  public static int priority(Level level) {
    return switch (level) {
      case ERROR -> 3;
      case WARN -> 4;
      case INFO -> 6;
      case DEBUG, TRACE -> 7;
    };
  }

  /**
   * {@code io.flexrig.agent.RigAgent} becomes {@code RigAgent}: the class is what operators read.
   */
  static String shortName(String logger) {
    int dot = logger.lastIndexOf('.');
    return dot < 0 || dot == logger.length() - 1 ? logger : logger.substring(dot + 1);
  }

  private static String describe(Throwable t) {
    String message = t.getMessage();
    return message == null ? t.getClass().getName() : t.getClass().getName() + ": " + message;
  }

  private static String stack(Throwable error) {
    StringBuilder b = new StringBuilder();
    StackTraceElement[] enclosing = null;
    int depth = 0;
    for (Throwable t = error; t != null && depth < MAX_CAUSES; t = t.getCause(), depth++) {
      if (t != error) {
        b.append(" caused by ").append(describe(t)).append(':');
      }
      StackTraceElement[] trace = t.getStackTrace();
      // like Throwable.printStackTrace: a cause's frames shared with its enclosing trace are left
      // out
      int unique = trace.length;
      if (enclosing != null) {
        int m = trace.length - 1;
        for (int n = enclosing.length - 1; m >= 0 && n >= 0 && trace[m].equals(enclosing[n]); n--) {
          m--;
        }
        unique = m + 1;
      }
      int shown = Math.min(unique, FRAMES_PER_EXCEPTION);
      for (int i = 0; i < shown; i++) {
        if (!b.isEmpty()) {
          b.append(' ');
        }
        b.append(trace[i]);
      }
      if (shown < trace.length) {
        b.append(" ...");
      }
      enclosing = trace;
      if (t.getCause() == t) {
        break;
      }
    }
    return b.toString();
  }

  private static String key(String key) {
    StringBuilder b = new StringBuilder(key.length());
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      b.append(c > ' ' && c != '=' && c != '"' && c < 127 ? c : '_');
    }
    return b.isEmpty() ? "_" : b.toString();
  }

  private static void field(StringBuilder b, String key, String value) {
    b.append(' ').append(key).append('=');
    if (!value.isEmpty() && bare(value)) {
      b.append(value);
      return;
    }
    b.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < ' ' || c == 0x7f || c == '\u2028' || c == '\u2029') {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }

  private static boolean bare(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c == 0x7f || c > '~') {
        return false;
      }
    }
    return true;
  }
}
