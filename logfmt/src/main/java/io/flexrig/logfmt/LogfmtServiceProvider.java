package io.flexrig.logfmt;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * Found by SLF4J through {@code META-INF/services}: the only provider the agent and the controller
 * ship. Levels come from {@link LogLevels#fromEnvironment()}; journald mode from {@code
 * JOURNAL_STREAM}, which systemd sets when stderr goes to the journal.
 */
public final class LogfmtServiceProvider implements SLF4JServiceProvider {
  private IMarkerFactory markers;
  private MDCAdapter mdc;
  private ILoggerFactory loggers;

  @Override
  public void initialize() {
    markers = new BasicMarkerFactory();
    mdc = new BasicMDCAdapter();
    LogLevels levels = LogLevels.fromEnvironment();
    boolean journald = System.getenv("JOURNAL_STREAM") != null;
    Supplier<PrintStream> stderr = () -> System.err;
    Map<String, Logger> cache = new ConcurrentHashMap<>();
    loggers =
        name ->
            cache.computeIfAbsent(
                name, n -> new LogfmtLogger(n, levels.threshold(n), journald, mdc, stderr));
    if (!"false".equals(System.getProperty("flexrig.log.jul"))) {
      JulBridge.install(levels, loggers);
    }
  }

  @Override
  public ILoggerFactory getLoggerFactory() {
    return loggers;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }
}
