package io.flexrig.logfmt;

import java.io.PrintStream;
import java.io.Serial;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;
import org.slf4j.event.Level;
import org.slf4j.event.LoggingEvent;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.LoggingEventAware;
import org.slf4j.spi.MDCAdapter;

/**
 * A logger that writes each enabled event as one {@link LogLine} to stderr. The fluent API's
 * key-value pairs ({@code log.atInfo().addKeyValue("rig", id).log("started")}) become fields.
 */
final class LogfmtLogger extends LegacyAbstractLogger implements LoggingEventAware {
  @Serial private static final long serialVersionUID = 1L;

  private final transient Level threshold;
  private final transient boolean journald;
  private final transient MDCAdapter mdc;
  private final transient Supplier<PrintStream> out;

  LogfmtLogger(
      String name, Level threshold, boolean journald, MDCAdapter mdc, Supplier<PrintStream> out) {
    this.name = name;
    this.threshold = threshold;
    this.journald = journald;
    this.mdc = mdc;
    this.out = out;
  }

  private boolean enabled(Level level) {
    // org.slf4j.event.Level numbers grow with severity: TRACE 0 ... ERROR 40
    return level.toInt() >= threshold.toInt();
  }

  @Override
  public boolean isTraceEnabled() {
    return enabled(Level.TRACE);
  }

  @Override
  public boolean isDebugEnabled() {
    return enabled(Level.DEBUG);
  }

  @Override
  public boolean isInfoEnabled() {
    return enabled(Level.INFO);
  }

  @Override
  public boolean isWarnEnabled() {
    return enabled(Level.WARN);
  }

  @Override
  public boolean isErrorEnabled() {
    return enabled(Level.ERROR);
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    return null;
  }

  @Override
  protected void handleNormalizedLoggingCall(
      Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
    write(level, pattern, arguments, List.of(), throwable);
  }

  @Override
  public void log(LoggingEvent event) {
    if (enabled(event.getLevel())) {
      List<KeyValuePair> pairs = event.getKeyValuePairs();
      write(
          event.getLevel(),
          event.getMessage(),
          event.getArgumentArray(),
          pairs == null ? List.of() : pairs,
          event.getThrowable());
    }
  }

  private void write(
      Level level, String pattern, Object[] arguments, List<KeyValuePair> pairs, Throwable t) {
    var formatted = MessageFormatter.basicArrayFormat(pattern, arguments);
    Map<String, Object> fields = new LinkedHashMap<>();
    for (KeyValuePair p : pairs) {
      fields.put(p.key, p.value);
    }
    Map<String, String> context = mdc == null ? null : mdc.getCopyOfContextMap();
    if (context != null) {
      context.forEach(fields::putIfAbsent);
    }
    String line =
        LogLine.format(
            journald ? null : Instant.now(), journald, level, name, formatted, fields, t);
    PrintStream stream = out.get();
    // one write call per line, so lines of concurrent threads never interleave
    synchronized (stream) {
      stream.print(line);
      stream.flush();
    }
  }
}
