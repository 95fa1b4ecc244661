package io.flexrig.controller;

import io.flexrig.controller.hybrid.HybridSettings;
import io.flexrig.controller.openadr.OpenAdrLink;
import io.flexrig.controller.openadr.OpenAdrSettings;
import io.flexrig.controller.price.PriceSettings;
import io.flexrig.controller.store.TelemetryRetention;
import io.flexrig.controller.systemd.ServiceHeartbeat;
import io.flexrig.metricshttp.MetricsSettings;
import io.flexrig.openadr.SimpleLevels;
import io.flexrig.systemd.SystemdNotify;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the fleet controller until SIGTERM (or Ctrl-C).
 *
 * <pre>
 * controller --port 50051 --db /var/lib/flexrig/controller.db --host 0.0.0.0
 *            --tls-cert controller.crt --tls-key controller.key --tls-client-ca ca.crt
 *            [--grid-token-file grid-tokens] [--telemetry-interval-ms 1000]
 *            [--raw-retention-hours 48] [--rollup-retention-days 400]
 *            [--drain-s 10] [--reconnect-to other-ctl:50051,third-ctl:50051]
 * controller --dev-plaintext --port 50051 --db dev.db     # development, loopback only
 * controller --config /etc/flexrig/controller.properties
 * controller --db-url jdbc:postgresql://db.example:5432/flexrig?user=flexrig ...
 * controller ... --price-fixed-usd-per-kwh 0.048 [--price-file /var/lib/flexrig/prices.csv]
 * controller ... --price-fixed-usd-per-kwh 0.048 --hybrid-sites west-feeder   # mining or AI
 * </pre>
 *
 * The properties file uses the same names without dashes ({@code port}, {@code db}, {@code host},
 * {@code telemetry-interval-ms}, {@code tls-cert}, ..., {@code dev-plaintext=true}); arguments
 * given after {@code --config} override it.
 */
public final class ControllerMain {

  private static final Set<String> KEYS =
      Set.of(
          "port",
          "db",
          "db-url",
          "host",
          "telemetry-interval-ms",
          "tls-cert",
          "tls-key",
          "tls-client-ca",
          "grid-token-file",
          "dev-plaintext",
          "raw-retention-hours",
          "rollup-retention-days",
          "drain-s",
          "reconnect-to",
          "openadr-vtn",
          "openadr-client-id",
          "openadr-secret-file",
          "openadr-program",
          "openadr-site",
          "openadr-ven-name",
          "openadr-simple-kw",
          "openadr-response-s",
          "openadr-poll-s",
          "metrics-port",
          "metrics-host");

  private ControllerMain() {}

  private static boolean known(String key) {
    return KEYS.contains(key)
        || PriceSettings.KEYS.contains(key)
        || HybridSettings.KEYS.contains(key);
  }

  public static void main(String[] args) throws InterruptedException {
    ControllerConfig config;
    Optional<OpenAdrSettings> openAdr;
    try {
      config = parse(args);
      openAdr = parseOpenAdr(args);
    } catch (IllegalArgumentException e) {
      System.err.println("controller: " + e.getMessage());
      System.err.println(
          "usage: controller [--config FILE] [--port N] [--db FILE | --db-url JDBC_URL]"
              + " [--host ADDR] (--tls-cert PEM --tls-key PEM --tls-client-ca PEM"
              + " [--grid-token-file FILE] | --dev-plaintext) [--telemetry-interval-ms N]"
              + " [--raw-retention-hours H] [--rollup-retention-days D] [--drain-s S]"
              + " [--reconnect-to HOST:PORT,..]"
              + " [--openadr-vtn URL --openadr-client-id ID --openadr-secret-file FILE"
              + " --openadr-program NAME --openadr-site SITE [--openadr-simple-kw K1,K2,K3]"
              + " [--openadr-response-s S] [--openadr-poll-s S] [--openadr-ven-name NAME]]"
              + " [--metrics-port N [--metrics-host ADDR]]"
              + " [--price-fixed-usd-per-kwh P | --price-tou-file YAML] [--price-file CSV]"
              + " [--price-4cp-forecast-file CSV (--price-4cp-top-n N | --price-4cp-threshold-mw"
              + " MW) --price-4cp-transmission-usd-per-kw-year USD] [--price-tick-s S]"
              + " [--price-deadband F] [--price-min-hold-s S]"
              + " [--hybrid-sites SITE,.. [--hybrid-switching-cost-usd USD] [--hybrid-min-hold-s S]"
              + " [--hybrid-deadband-usd-per-hour USD] [--hybrid-tick-s S]"
              + " [--hybrid-ai-usd-per-gpu-hour USD [--hybrid-ai-utilisation F]]]");
      System.exit(2);
      return;
    }
    FleetController controller = new FleetController(config).start();
    OpenAdrLink link =
        openAdr.map(s -> OpenAdrLink.start(controller, s, config.clock())).orElse(null);
    ServiceHeartbeat heartbeat = heartbeat(controller);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  heartbeat.close();
                  if (link != null) {
                    link.close();
                  }
                  controller.close();
                  stopped.countDown();
                },
                "controller-shutdown"));
    heartbeat.start();
    stopped.await();
  }

  /** sd_notify: READY now that the gRPC server listens; WATCHDOG while the controller answers. */
  private static ServiceHeartbeat heartbeat(FleetController controller) {
    SystemdNotify notify;
    try {
      notify = SystemdNotify.fromEnvironment();
    } catch (IOException | RuntimeException | LinkageError e) {
      System.err.println("controller: sd_notify unavailable: " + e);
      try {
        notify = SystemdNotify.forSocket(null);
      } catch (IOException impossible) {
        throw new IllegalStateException(impossible);
      }
    }
    // fleet() takes the controller's monitor: a wedged controller stops the pings.
    return new ServiceHeartbeat(notify, () -> controller.fleet() != null);
  }

  static ControllerConfig parse(String[] args) {
    return config(properties(args));
  }

  /** The OpenADR VEN settings, when {@code --openadr-vtn} is given. */
  static Optional<OpenAdrSettings> parseOpenAdr(String[] args) {
    Properties p = properties(args);
    if (p.getProperty("openadr-vtn") == null) {
      return Optional.empty();
    }
    String site = requiredText(p, "openadr-site");
    String[] levels = p.getProperty("openadr-simple-kw", "250,500,1000").split(",");
    if (levels.length != 3) {
      throw new IllegalArgumentException(
          "--openadr-simple-kw needs three kW values (SIMPLE levels 1,2,3), got "
              + p.getProperty("openadr-simple-kw"));
    }
    Path secretFile = Path.of(requiredText(p, "openadr-secret-file"));
    String secret;
    try {
      secret = Files.readString(secretFile).strip();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + secretFile + ": " + e.getMessage(), e);
    }
    try {
      return Optional.of(
          new OpenAdrSettings(
              URI.create(requiredText(p, "openadr-vtn")),
              requiredText(p, "openadr-client-id"),
              secret,
              p.getProperty("openadr-ven-name", site).strip(),
              requiredText(p, "openadr-program"),
              site,
              new SimpleLevels(
                  Double.parseDouble(levels[0].strip()),
                  Double.parseDouble(levels[1].strip()),
                  Double.parseDouble(levels[2].strip())),
              Duration.ofMillis(
                  Math.round(
                      Double.parseDouble(p.getProperty("openadr-response-s", "600").strip())
                          * 1000)),
              Duration.ofMillis(
                  Math.round(
                      Double.parseDouble(p.getProperty("openadr-poll-s", "30").strip()) * 1000))));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a number: " + e.getMessage(), e);
    }
  }

  private static String requiredText(Properties p, String key) {
    String v = p.getProperty(key);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException("--" + key + " is required with --openadr-vtn");
    }
    return v.strip();
  }

  private static Properties properties(String[] args) {
    Properties p = new Properties();
    p.setProperty("port", "50051");
    p.setProperty("db", "flexrig-controller.db");
    p.setProperty("host", ControllerConfig.LOOPBACK);
    p.setProperty(
        "telemetry-interval-ms",
        Long.toString(ControllerConfig.DEFAULT_TELEMETRY_INTERVAL.toMillis()));
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--dev-plaintext")) {
        p.setProperty("dev-plaintext", "true");
        continue;
      }
      if (!arg.startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value, got '" + arg + "'");
      }
      String name = arg.substring(2);
      String value = args[++i];
      if (name.equals("config")) {
        load(Path.of(value), p);
      } else if (known(name)) {
        p.setProperty(name, value);
      } else {
        throw new IllegalArgumentException("unknown option --" + name);
      }
    }
    return p;
  }

  private static ControllerConfig config(Properties p) {
    ControllerTls tls = null;
    if (p.getProperty("tls-cert") != null
        || p.getProperty("tls-key") != null
        || p.getProperty("tls-client-ca") != null) {
      tls =
          new ControllerTls(
              required(p, "tls-cert"),
              required(p, "tls-key"),
              required(p, "tls-client-ca"),
              p.getProperty("grid-token-file") == null
                  ? null
                  : Path.of(p.getProperty("grid-token-file").strip()));
    } else if (!Boolean.parseBoolean(p.getProperty("dev-plaintext", "false").strip())) {
      throw new IllegalArgumentException(
          "no TLS material: give --tls-cert, --tls-key and --tls-client-ca (see"
              + " scripts/flexrig-pki.sh), or --dev-plaintext for a development run on loopback");
    }
    try {
      MetricsSettings metrics = null;
      if (p.getProperty("metrics-port") != null) {
        metrics =
            new MetricsSettings(
                p.getProperty("metrics-host", MetricsSettings.DEFAULT_BIND).strip(),
                Integer.parseInt(p.getProperty("metrics-port").strip()));
      } else if (p.getProperty("metrics-host") != null) {
        throw new IllegalArgumentException("--metrics-host is only used with --metrics-port");
      }
      return ControllerConfig.builder()
          .port(Integer.parseInt(p.getProperty("port").strip()))
          .databaseFile(Path.of(p.getProperty("db").strip()))
          .plaintext(tls == null)
          .telemetryInterval(
              Duration.ofMillis(Long.parseLong(p.getProperty("telemetry-interval-ms").strip())))
          .clock(Clock.systemUTC())
          .bindHost(p.getProperty("host").strip())
          .databaseUrl(p.getProperty("db-url") == null ? null : p.getProperty("db-url").strip())
          .tls(tls)
          .shutdown(shutdown(p))
          .retention(
              TelemetryRetention.of(
                  Long.parseLong(p.getProperty("raw-retention-hours", "48").strip()),
                  Long.parseLong(p.getProperty("rollup-retention-days", "400").strip())))
          .metrics(metrics)
          .price(PriceSettings.parse(p::getProperty).orElse(null))
          .hybrid(HybridSettings.parse(p::getProperty).orElse(null))
          .build();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a number: " + e.getMessage(), e);
    }
  }

  private static GracefulShutdown shutdown(Properties p) {
    GracefulShutdown s = GracefulShutdown.DEFAULT;
    if (p.getProperty("drain-s") != null) {
      s =
          s.withDrain(
              Duration.ofMillis(
                  Math.round(Double.parseDouble(p.getProperty("drain-s").strip()) * 1000)));
    }
    String to = p.getProperty("reconnect-to");
    if (to != null && !to.isBlank()) {
      s = s.withAlternates(Arrays.stream(to.split(",")).map(String::strip).toList());
    }
    return s;
  }

  private static Path required(Properties p, String key) {
    String v = p.getProperty(key);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException("--" + key + " is required with TLS");
    }
    return Path.of(v.strip());
  }

  private static void load(Path file, Properties into) {
    Properties fromFile = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      fromFile.load(r);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
    for (String name : fromFile.stringPropertyNames()) {
      if (!known(name)) {
        throw new IllegalArgumentException(file + ": unknown key '" + name + "'");
      }
      into.setProperty(name, fromFile.getProperty(name));
    }
  }
}
