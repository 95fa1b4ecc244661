package io.flexrig.logfmt;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.event.Level;

/**
 * Which events are written. Flexrig's own loggers ({@code io.flexrig}) log from {@code info} (or
 * {@code FLEXRIG_LOG_LEVEL}, or the system property {@code flexrig.log.level}); libraries from
 * {@code warn}, so a debug session of the agent is not buried under Netty's. Any logger prefix can
 * be set on its own: {@code -Dflexrig.log.level.io.grpc=debug}. The longest matching prefix wins.
 */
public final class LogLevels {
  static final String PROPERTY = "flexrig.log.level";
  static final String ENV = "FLEXRIG_LOG_LEVEL";
  private static final String OWN = "io.flexrig";

  private final Level own;
  private final Level libraries;
  private final TreeMap<String, Level> prefixes;

  /**
   * @param own the level of {@code io.flexrig} loggers
   * @param libraries the level of every other logger
   * @param prefixes levels by logger-name prefix
   */
  public LogLevels(Level own, Level libraries, Map<String, Level> prefixes) {
    this.own = own;
    this.libraries = libraries;
    this.prefixes = new TreeMap<>(prefixes);
  }

  /** From the system properties and the environment of this process. */
  public static LogLevels fromEnvironment() {
    String configured = System.getProperty(PROPERTY, System.getenv(ENV));
    Level own = Level.INFO;
    Map<String, Level> prefixes = new TreeMap<>();
    try {
      own = configured == null ? Level.INFO : parse(configured, PROPERTY);
      for (String name : System.getProperties().stringPropertyNames()) {
        if (name.startsWith(PROPERTY + ".") && name.length() > PROPERTY.length() + 1) {
          prefixes.put(
              name.substring(PROPERTY.length() + 1), parse(System.getProperty(name), name));
        }
      }
    } catch (IllegalArgumentException e) {
      // a typo in a log level must not stop the agent; say so once, in the same format
      System.err.print(
          LogLine.format(null, false, Level.WARN, "LogLevels", e.getMessage(), Map.of(), null));
    }
    return new LogLevels(own, Level.WARN, prefixes);
  }

  /** The least severe level written for {@code logger}. */
  public Level threshold(String logger) {
    // the longest configured prefix at or before the name that is a prefix of it
    for (Map.Entry<String, Level> e = prefixes.floorEntry(logger);
        e != null;
        e = prefixes.lowerEntry(e.getKey())) {
      String prefix = e.getKey();
      if (logger.equals(prefix) || logger.startsWith(prefix + ".")) {
        return e.getValue();
      }
    }
    return logger.equals(OWN) || logger.startsWith(OWN + ".") ? own : libraries;
  }

  /** The level a name such as {@code debug} or {@code WARNING} stands for. */
  static Level parse(String value, String where) {
    String v = value.strip().toUpperCase(Locale.ROOT);
    return switch (v) {
      case "ERROR", "ERR", "SEVERE" -> Level.ERROR;
      case "WARN", "WARNING" -> Level.WARN;
      case "INFO" -> Level.INFO;
      case "DEBUG" -> Level.DEBUG;
      case "TRACE" -> Level.TRACE;
      default ->
          throw new IllegalArgumentException(
              where + ": not a log level (error, warn, info, debug, trace): '" + value + "'");
    };
  }
}
