package io.flexrig.logfmt;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.slf4j.ILoggerFactory;
import org.slf4j.event.DefaultLoggingEvent;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventAware;

/**
 * gRPC logs through java.util.logging, whose default console format takes two lines per record.
 * This routes those records into the same one-line format, with the same levels.
 */
final class JulBridge extends Handler {
  // java.util.logging keeps loggers weakly: a level set on one must be held here to stay set
  private static final List<java.util.logging.Logger> CONFIGURED = new ArrayList<>();

  private final ILoggerFactory loggers;
  private final Formatter messages = new SimpleFormatter();

  private JulBridge(ILoggerFactory loggers) {
    this.loggers = loggers;
  }

  static synchronized void install(LogLevels levels, ILoggerFactory loggers) {
    java.util.logging.Logger root = LogManager.getLogManager().getLogger("");
    for (Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    root.addHandler(new JulBridge(loggers));
    // records below the threshold are not even created
    root.setLevel(jul(levels.threshold("")));
    for (String name : List.of("io.flexrig", "io.grpc", "io.netty", "org.eclipse.milo")) {
      java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
      logger.setLevel(jul(levels.threshold(name)));
      CONFIGURED.add(logger);
    }
  }

  @Override
  public void publish(LogRecord record) {
    if (record == null) {
      return;
    }
    String name = record.getLoggerName() == null ? "jul" : record.getLoggerName();
    Level level = slf4j(record.getLevel());
    var logger = loggers.getLogger(name);
    if (!logger.isEnabledForLevel(level) || !(logger instanceof LoggingEventAware aware)) {
      return;
    }
    DefaultLoggingEvent event = new DefaultLoggingEvent(level, logger);
    event.setMessage(messages.formatMessage(record));
    event.setThrowable(record.getThrown());
    aware.log(event);
  }

  static Level slf4j(java.util.logging.Level level) {
    int v = level.intValue();
    if (v >= java.util.logging.Level.SEVERE.intValue()) {
      return Level.ERROR;
    }
    if (v >= java.util.logging.Level.WARNING.intValue()) {
      return Level.WARN;
    }
    if (v >= java.util.logging.Level.INFO.intValue()) {
      return Level.INFO;
    }
    if (v >= java.util.logging.Level.FINE.intValue()) {
      return Level.DEBUG;
    }
    return Level.TRACE;
  }

  static java.util.logging.Level jul(Level level) {
    return switch (level) {
      case ERROR -> java.util.logging.Level.SEVERE;
      case WARN -> java.util.logging.Level.WARNING;
      case INFO -> java.util.logging.Level.INFO;
      case DEBUG -> java.util.logging.Level.FINE;
      case TRACE -> java.util.logging.Level.FINEST;
    };
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
