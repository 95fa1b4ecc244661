package io.flexrig.agent.cli;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import io.flexrig.agent.AgentConfig;
import io.flexrig.agent.AgentConfigFile;
import io.flexrig.agent.source.SourceContext;
import io.flexrig.agent.source.SourceDrivers;
import io.flexrig.agent.source.gpio.Pi4jGpio;
import io.flexrig.agent.source.i2c.I2cScan;
import io.flexrig.agent.source.i2c.Pi4jI2c;
import io.flexrig.agent.source.opcua.OpcUaBrowser;
import io.flexrig.agent.source.opcua.OpcUaSecurity;
import io.flexrig.agent.source.probe.Probe;
import io.flexrig.agent.source.probe.ProbeResult;
import io.flexrig.agent.source.spi.Pi4jSpi;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code flexrig-agent probe [--json] [--browse] [CONFIG]}: the technician's probe. */
@Command(
    name = "probe",
    mixinStandardHelpOptions = true,
    description = {
      "Opens every sensor of the profile once and prints OK / DEGRADED / FAILED / SKIPPED with",
      "the fix for each failure, then scans the I2C buses (read-only identification).",
      "Never drives an output. Exit code 1 when a sensor FAILED."
    })
final class ProbeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--json", description = "print one JSON object instead of tables")
  boolean json;

  @Option(names = "--browse", description = "also list the site OPC UA server's variables")
  boolean browse;

  @Parameters(
      arity = "0..1",
      paramLabel = "CONFIG",
      defaultValue = FlexrigAgentCommand.DEFAULT_CONFIG,
      description = "the rig's agent.yaml (default: ${DEFAULT-VALUE})")
  Path config;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    AgentConfig agentConfig;
    try {
      agentConfig = AgentConfigFile.load(config);
    } catch (AgentConfigFile.InvalidConfigException e) {
      err.println(e.getMessage());
      return FlexrigAgentCommand.CONFIG;
    }
    SourceContext.Builder context =
        SourceContext.builder()
            .clock(agentConfig.clock())
            .opcUaEndpointUrl(agentConfig.opcUaEndpointUrl())
            .service(OpcUaSecurity.class, agentConfig::opcUaSecurity);
    I2cScan.BusList buses = I2cScan.BusList.linux();
    // Without I2C sensors a context is still made when the board has buses: for the scan only.
    Context pi4j =
        agentConfig.pi4j() != null
            ? agentConfig.pi4j().get()
            : hasI2cBuses(buses) ? Pi4J.newAutoContext() : null;
    if (pi4j != null) {
      context.service(Pi4jI2c.class, () -> new Pi4jI2c(pi4j, agentConfig.i2cProviderId()));
      context.service(Pi4jSpi.class, () -> new Pi4jSpi(pi4j, "linuxfs-spi"));
      context.service(Pi4jGpio.class, () -> Pi4jGpio.linuxfs(pi4j));
    }
    try (SourceContext sources = context.build()) {
      Probe probe = new Probe(SourceDrivers.load(), sources, Duration.ofSeconds(3));
      List<ProbeResult> results =
          probe.run(
              Probe.withOverrides(
                  agentConfig.profile().sensors(), agentConfig.sensorAddressOverrides()));
      I2cScan.Result scan;
      try {
        scan = probe.scanI2c(buses);
      } catch (IOException e) {
        err.println("I2C scan failed: " + e.getMessage());
        scan = new I2cScan.Result(List.of(), List.of());
      }
      out.print(
          json ? Probe.json(results, scan) + "\n" : Probe.table(results) + Probe.scanTable(scan));
      String opcUa = agentConfig.opcUaEndpointUrl();
      if (browse && opcUa != null && !opcUa.isBlank()) {
        try {
          out.print(
              Probe.browseTable(
                  opcUa, new OpcUaBrowser(8, 5000).browse(opcUa, agentConfig.opcUaSecurity())));
        } catch (IOException e) {
          out.println("OPC UA browse failed: " + e.getMessage());
        }
      }
      return results.stream().anyMatch(r -> r.outcome() == ProbeResult.Outcome.FAILED)
          ? FlexrigAgentCommand.FAILED
          : FlexrigAgentCommand.OK;
    } finally {
      if (pi4j != null) {
        pi4j.shutdown();
      }
    }
  }

  private static boolean hasI2cBuses(I2cScan.BusList buses) {
    try {
      return !buses.buses().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }
}
