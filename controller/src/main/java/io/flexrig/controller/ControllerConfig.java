package io.flexrig.controller;

import io.flexrig.controller.hybrid.HybridSettings;
import io.flexrig.controller.price.PriceSettings;
import io.flexrig.controller.store.TelemetryRetention;
import io.flexrig.metricshttp.MetricsSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How to run a {@link FleetController}.
 *
 * @param port TCP port to listen on; 0 picks a free one (see {@link FleetController#port()})
 * @param databaseFile the SQLite file (created if missing); may be null when {@code databaseUrl} is
 *     given
 * @param plaintext plaintext gRPC without any authentication: development only, and only on a
 *     loopback bind address
 * @param telemetryInterval interval at which agents are asked to send telemetry
 * @param clock the controller's clock (events, freshness, timestamps)
 * @param bindHost the address to listen on; loopback unless configured otherwise
 * @param databaseUrl JDBC URL of the database ({@code jdbc:sqlite:..} or {@code
 *     jdbc:postgresql:..}); null means the SQLite file {@code databaseFile}
 * @param tls the mTLS material; required unless {@code plaintext}
 * @param shutdown how agents are drained and redirected when the controller stops
 * @param retention how long raw samples and 1-minute rollups are kept
 * @param metrics where to serve Prometheus {@code /metrics}; null: not served
 * @param price price-driven dispatch (tariff, real-time price file, 4CP); null: off
 * @param hybrid the mining/AI choice of hybrid sites (needs {@code price}); null: off
 */
public record ControllerConfig(
    int port,
    Path databaseFile,
    boolean plaintext,
    Duration telemetryInterval,
    Clock clock,
    String bindHost,
    String databaseUrl,
    ControllerTls tls,
    GracefulShutdown shutdown,
    TelemetryRetention retention,
    MetricsSettings metrics,
    PriceSettings price,
    HybridSettings hybrid) {

  public static final Duration DEFAULT_TELEMETRY_INTERVAL = Duration.ofSeconds(1);
  public static final String LOOPBACK = "127.0.0.1";

  public ControllerConfig {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be in 0..65535, got " + port);
    }
    if (databaseUrl == null || databaseUrl.isBlank()) {
      Objects.requireNonNull(databaseFile, "databaseFile (or databaseUrl)");
      databaseUrl = null;
    }
    telemetryInterval = telemetryInterval == null ? DEFAULT_TELEMETRY_INTERVAL : telemetryInterval;
    if (telemetryInterval.isNegative()
        || telemetryInterval.isZero()
        || telemetryInterval.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("telemetryInterval must be > 0, got " + telemetryInterval);
    }
    clock = clock == null ? Clock.systemUTC() : clock;
    shutdown = shutdown == null ? GracefulShutdown.DEFAULT : shutdown;
    retention = retention == null ? TelemetryRetention.DEFAULT : retention;
    bindHost = bindHost == null || bindHost.isBlank() ? LOOPBACK : bindHost;
    if (plaintext && tls != null) {
      throw new IllegalArgumentException("choose plaintext (development) or TLS, not both");
    }
    if (!plaintext && tls == null) {
      throw new IllegalArgumentException(
          "TLS material is required (certificate, key, site CA); plaintext is a development"
              + " mode only");
    }
    if (hybrid != null && price == null) {
      throw new IllegalArgumentException(
          "--hybrid-sites needs a power price: --price-fixed-usd-per-kwh, --price-tou-file or"
              + " --price-file");
    }
    if (plaintext && !isLoopback(bindHost)) {
      throw new IllegalArgumentException(
          "plaintext is allowed only on a loopback address, not on '"
              + bindHost
              + "': configure TLS (--tls-cert, --tls-key, --tls-client-ca) to listen there");
    }
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("cannot resolve the bind address '" + host + "'", e);
    }
  }

  /** Without price-driven dispatch. */
  public ControllerConfig(
      int port,
      Path databaseFile,
      boolean plaintext,
      Duration telemetryInterval,
      Clock clock,
      String bindHost,
      String databaseUrl,
      ControllerTls tls,
      GracefulShutdown shutdown,
      TelemetryRetention retention,
      MetricsSettings metrics) {
    this(
        port,
        databaseFile,
        plaintext,
        telemetryInterval,
        clock,
        bindHost,
        databaseUrl,
        tls,
        shutdown,
        retention,
        metrics,
        null,
        null);
  }

  /** Default shutdown and retention, without /metrics. */
  public ControllerConfig(
      int port,
      Path databaseFile,
      boolean plaintext,
      Duration telemetryInterval,
      Clock clock,
      String bindHost,
      String databaseUrl,
      ControllerTls tls) {
    this(
        port,
        databaseFile,
        plaintext,
        telemetryInterval,
        clock,
        bindHost,
        databaseUrl,
        tls,
        null,
        null,
        null);
  }

  /** Uses the SQLite file {@code databaseFile}. */
  public ControllerConfig(
      int port,
      Path databaseFile,
      boolean plaintext,
      Duration telemetryInterval,
      Clock clock,
      String bindHost) {
    this(port, databaseFile, plaintext, telemetryInterval, clock, bindHost, null, null);
  }

  /** Listens on loopback. */
  public ControllerConfig(
      int port, Path databaseFile, boolean plaintext, Duration telemetryInterval, Clock clock) {
    this(port, databaseFile, plaintext, telemetryInterval, clock, LOOPBACK);
  }

  /** The JDBC URL of the database: {@code databaseUrl}, else the SQLite file. */
  public String jdbcUrl() {
    return databaseUrl != null ? databaseUrl : "jdbc:sqlite:" + databaseFile.toAbsolutePath();
  }

  /** The same, on the database at a JDBC URL. */
  public ControllerConfig withDatabaseUrl(String url) {
    return toBuilder().databaseUrl(url).build();
  }

  /** The same, with mutual TLS instead of plaintext. */
  public ControllerConfig withTls(ControllerTls material) {
    return toBuilder().plaintext(false).tls(material).build();
  }

  /** The same, leaving agents this way at shutdown. */
  public ControllerConfig withShutdown(GracefulShutdown s) {
    return toBuilder().shutdown(s).build();
  }

  /** The same, keeping telemetry this long. */
  public ControllerConfig withRetention(TelemetryRetention r) {
    return toBuilder().retention(r).build();
  }

  /** The same, serving Prometheus {@code /metrics}. */
  public ControllerConfig withMetrics(MetricsSettings settings) {
    return toBuilder().metrics(settings).build();
  }

  /** The same, with price-driven dispatch ({@code null}: off). */
  public ControllerConfig withPrice(PriceSettings settings) {
    return toBuilder().price(settings).build();
  }

  /** The same, with the mining/AI choice of hybrid sites ({@code null}: off). */
  public ControllerConfig withHybrid(HybridSettings settings) {
    return toBuilder().hybrid(settings).build();
  }

  /** A builder holding this configuration's values. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * A builder starting from the defaults of {@link #loopback}: plaintext on loopback, port 0, no
   * database chosen yet.
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds a configuration field by field, so that a copy with one change cannot forget another
   * field. Validation happens in {@link #build()} (the record's constructor).
   */
  public static final class Builder {
    private int port;
    private Path databaseFile;
    private boolean plaintext = true;
    private Duration telemetryInterval = DEFAULT_TELEMETRY_INTERVAL;
    private Clock clock;
    private String bindHost = LOOPBACK;
    private String databaseUrl;
    private ControllerTls tls;
    private GracefulShutdown shutdown;
    private TelemetryRetention retention;
    private MetricsSettings metrics;
    private PriceSettings price;
    private HybridSettings hybrid;

    private Builder() {}

    private Builder(ControllerConfig c) {
      port = c.port;
      databaseFile = c.databaseFile;
      plaintext = c.plaintext;
      telemetryInterval = c.telemetryInterval;
      clock = c.clock;
      bindHost = c.bindHost;
      databaseUrl = c.databaseUrl;
      tls = c.tls;
      shutdown = c.shutdown;
      retention = c.retention;
      metrics = c.metrics;
      price = c.price;
      hybrid = c.hybrid;
    }

    public Builder port(int value) {
      port = value;
      return this;
    }

    public Builder databaseFile(Path value) {
      databaseFile = value;
      return this;
    }

    public Builder plaintext(boolean value) {
      plaintext = value;
      return this;
    }

    public Builder telemetryInterval(Duration value) {
      telemetryInterval = value;
      return this;
    }

    public Builder clock(Clock value) {
      clock = value;
      return this;
    }

    public Builder bindHost(String value) {
      bindHost = value;
      return this;
    }

    public Builder databaseUrl(String value) {
      databaseUrl = value;
      return this;
    }

    public Builder tls(ControllerTls value) {
      tls = value;
      return this;
    }

    public Builder shutdown(GracefulShutdown value) {
      shutdown = value;
      return this;
    }

    public Builder retention(TelemetryRetention value) {
      retention = value;
      return this;
    }

    public Builder metrics(MetricsSettings value) {
      metrics = value;
      return this;
    }

    public Builder price(PriceSettings value) {
      price = value;
      return this;
    }

    public Builder hybrid(HybridSettings value) {
      hybrid = value;
      return this;
    }

    /**
     * @throws IllegalArgumentException when the values do not make a valid configuration
     */
    public ControllerConfig build() {
      return new ControllerConfig(
          port,
          databaseFile,
          plaintext,
          telemetryInterval,
          clock,
          bindHost,
          databaseUrl,
          tls,
          shutdown,
          retention,
          metrics,
          price,
          hybrid);
    }
  }

  /** Plaintext on loopback with a 1 s telemetry interval and the UTC system clock. */
  public static ControllerConfig loopback(int port, Path databaseFile) {
    return new ControllerConfig(
        port, databaseFile, true, DEFAULT_TELEMETRY_INTERVAL, Clock.systemUTC());
  }
}
