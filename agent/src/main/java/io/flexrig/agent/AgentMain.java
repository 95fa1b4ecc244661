package io.flexrig.agent;

import io.flexrig.agent.systemd.ServiceHeartbeat;
import io.flexrig.systemd.SystemdNotify;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one rig's agent until SIGTERM: {@code java -cp ... io.flexrig.agent.AgentMain
 * /etc/flexrig/agent.yaml}. Exit code 2 for a configuration error. {@code AgentMain probe [--json]
 * [--browse] [agent.yaml]} runs the technician's probe instead: every sensor opened and sampled
 * once, a table of what works (exit code 1 when something failed), then the I2C scan of the board's
 * buses (read-only identification) and, with {@code --browse}, the OPC UA server's variables.
 */
public final class AgentMain {
  private static final Logger log = LoggerFactory.getLogger(AgentMain.class);

  private AgentMain() {}

  public static void main(String[] args) throws InterruptedException {
    // Milo's OpcUaClient reads every jar's manifest through jar: URLs when its class initialises;
    // for the signed BouncyCastle jars that verifies their signatures, and a cached connection
    // would keep the verifier (about 4 MiB of heap, the manifests' per-entry digests) for the life
    // of the process. Uncached, it is garbage once read (bench/README.md, footprint).
    java.net.URLConnection.setDefaultUseCaches("jar", false);
    if (args.length > 1 && args[0].equals("profile") && args[1].equals("validate")) {
      System.exit(
          ProfileValidation.run(
              java.util.Arrays.copyOfRange(args, 2, args.length), System.out, System.err));
    }
    if (args.length > 0 && args[0].equals("probe")) {
      System.exit(probe(java.util.Arrays.copyOfRange(args, 1, args.length)));
    }
    Path file = Path.of(args.length > 0 ? args[0] : "/etc/flexrig/agent.yaml");
    AgentConfig config;
    try {
      config = AgentConfigFile.load(file);
    } catch (AgentConfigFile.InvalidConfigException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    RigAgent agent = new RigAgent(config);
    ServiceHeartbeat heartbeat = heartbeat(agent, config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("stopping");
                  heartbeat.close();
                  agent.close();
                  stopped.countDown();
                },
                "agent-shutdown"));
    try {
      agent.start();
    } catch (IllegalArgumentException e) {
      System.err.println(file + ": " + e.getMessage());
      System.exit(2);
    }
    heartbeat.start();
    stopped.await();
  }

  /** sd_notify: READY after the first snapshot, WATCHDOG while the sampler keeps sampling. */
  private static ServiceHeartbeat heartbeat(RigAgent agent, AgentConfig config) {
    SystemdNotify notify;
    try {
      notify = SystemdNotify.fromEnvironment();
    } catch (java.io.IOException | RuntimeException | LinkageError e) {
      log.warn("event=sd_notify_unavailable reason={}", e.toString());
      try {
        notify = SystemdNotify.forSocket(null);
      } catch (java.io.IOException impossible) {
        throw new IllegalStateException(impossible);
      }
    }
    java.time.Duration staleAfter = config.telemetryInterval().multipliedBy(10).plusSeconds(5);
    return new ServiceHeartbeat(
        notify,
        () -> {
          var snapshot = agent.sampler().lastSnapshot();
          return snapshot == null ? null : snapshot.sampledAt();
        },
        config.clock(),
        staleAfter);
  }

  private static int probe(String[] args) {
    boolean json = java.util.Arrays.asList(args).contains("--json");
    Path file =
        Path.of(
            java.util.Arrays.stream(args)
                .filter(a -> !a.startsWith("--"))
                .findFirst()
                .orElse("/etc/flexrig/agent.yaml"));
    AgentConfig config;
    try {
      config = AgentConfigFile.load(file);
    } catch (AgentConfigFile.InvalidConfigException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    io.flexrig.agent.source.SourceContext.Builder context =
        io.flexrig.agent.source.SourceContext.builder()
            .clock(config.clock())
            .opcUaEndpointUrl(config.opcUaEndpointUrl())
            .service(io.flexrig.agent.source.opcua.OpcUaSecurity.class, config::opcUaSecurity);
    io.flexrig.agent.source.i2c.I2cScan.BusList buses =
        io.flexrig.agent.source.i2c.I2cScan.BusList.linux();
    // Without I2C sensors a context is still made when the board has buses: for the scan only.
    com.pi4j.context.Context pi4j =
        config.pi4j() != null
            ? config.pi4j().get()
            : hasI2cBuses(buses) ? com.pi4j.Pi4J.newAutoContext() : null;
    if (pi4j != null) {
      context.service(
          io.flexrig.agent.source.i2c.Pi4jI2c.class,
          () -> new io.flexrig.agent.source.i2c.Pi4jI2c(pi4j, config.i2cProviderId()));
      context.service(
          io.flexrig.agent.source.spi.Pi4jSpi.class,
          () -> new io.flexrig.agent.source.spi.Pi4jSpi(pi4j, "linuxfs-spi"));
      context.service(
          io.flexrig.agent.source.gpio.Pi4jGpio.class,
          () -> io.flexrig.agent.source.gpio.Pi4jGpio.linuxfs(pi4j));
    }
    try (io.flexrig.agent.source.SourceContext sources = context.build()) {
      var probe =
          new io.flexrig.agent.source.probe.Probe(
              io.flexrig.agent.source.SourceDrivers.load(),
              sources,
              java.time.Duration.ofSeconds(3));
      var results =
          probe.run(
              io.flexrig.agent.source.probe.Probe.withOverrides(
                  config.profile().sensors(), config.sensorAddressOverrides()));
      io.flexrig.agent.source.i2c.I2cScan.Result scan;
      try {
        scan = probe.scanI2c(buses);
      } catch (java.io.IOException e) {
        System.err.println("I2C scan failed: " + e.getMessage());
        scan =
            new io.flexrig.agent.source.i2c.I2cScan.Result(
                java.util.List.of(), java.util.List.of());
      }
      System.out.print(
          json
              ? io.flexrig.agent.source.probe.Probe.json(results, scan) + "\n"
              : io.flexrig.agent.source.probe.Probe.table(results)
                  + io.flexrig.agent.source.probe.Probe.scanTable(scan));
      String opcUa = config.opcUaEndpointUrl();
      if (java.util.Arrays.asList(args).contains("--browse") && opcUa != null && !opcUa.isBlank()) {
        try {
          System.out.print(
              io.flexrig.agent.source.probe.Probe.browseTable(
                  opcUa,
                  new io.flexrig.agent.source.opcua.OpcUaBrowser(8, 5000)
                      .browse(opcUa, config.opcUaSecurity())));
        } catch (java.io.IOException e) {
          System.out.println("OPC UA browse failed: " + e.getMessage());
        }
      }
      return results.stream()
              .anyMatch(
                  r -> r.outcome() == io.flexrig.agent.source.probe.ProbeResult.Outcome.FAILED)
          ? 1
          : 0;
    } finally {
      if (pi4j != null) {
        pi4j.shutdown();
      }
    }
  }

  private static boolean hasI2cBuses(io.flexrig.agent.source.i2c.I2cScan.BusList buses) {
    try {
      return !buses.buses().isEmpty();
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
