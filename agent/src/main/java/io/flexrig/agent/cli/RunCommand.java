package io.flexrig.agent.cli;

import io.flexrig.agent.AgentConfig;
import io.flexrig.agent.AgentConfigFile;
import io.flexrig.agent.RigAgent;
import io.flexrig.agent.systemd.ServiceHeartbeat;
import io.flexrig.systemd.SystemdNotify;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code flexrig-agent run [CONFIG]}: the agent until SIGTERM, as the systemd unit runs it. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the rig's agent until SIGTERM (what the systemd unit starts).",
      "Without the config file it explains where it goes and what it needs."
    })
final class RunCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

  @Spec CommandSpec spec;

  @Parameters(
      arity = "0..1",
      paramLabel = "CONFIG",
      defaultValue = FlexrigAgentCommand.DEFAULT_CONFIG,
      description = "the rig's agent.yaml (default: ${DEFAULT-VALUE})")
  Path config;

  @Override
  public Integer call() throws InterruptedException {
    return run(config, spec.commandLine().getErr());
  }

  /**
   * Runs the agent of {@code config} until SIGTERM; the exit code. {@link FlexrigAgentCommand}
   * calls it directly, without picocli's model of the whole command line, for the unit's plain
   * {@code flexrig-agent CONFIG}.
   */
  static int run(Path config, PrintWriter err) throws InterruptedException {
    if (!Files.exists(config)) {
      err.print(FirstRun.guide(config, FirstRun.profilesDirectory()));
      return FlexrigAgentCommand.CONFIG;
    }
    AgentConfig agentConfig;
    try {
      agentConfig = AgentConfigFile.load(config);
    } catch (AgentConfigFile.InvalidConfigException e) {
      err.println(e.getMessage());
      return FlexrigAgentCommand.CONFIG;
    }
    RigAgent agent;
    try {
      agent = new RigAgent(agentConfig);
    } catch (RuntimeException e) {
      err.println(config + ": cannot start the agent: " + e.getMessage());
      return FlexrigAgentCommand.FAILED;
    }
    ServiceHeartbeat heartbeat = heartbeat(agent, agentConfig);
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
      err.println(config + ": " + e.getMessage());
      err.flush();
      return FlexrigAgentCommand.CONFIG;
    }
    heartbeat.start();
    stopped.await();
    return FlexrigAgentCommand.OK;
  }

  /** sd_notify: READY after the first snapshot, WATCHDOG while the sampler keeps sampling. */
  private static ServiceHeartbeat heartbeat(RigAgent agent, AgentConfig config) {
    SystemdNotify notify;
    try {
      notify = SystemdNotify.fromEnvironment();
    } catch (IOException | RuntimeException | LinkageError e) {
      log.warn("event=sd_notify_unavailable reason={}", e.toString());
      try {
        notify = SystemdNotify.forSocket(null);
      } catch (IOException impossible) {
        throw new IllegalStateException(impossible);
      }
    }
    Duration staleAfter = config.telemetryInterval().multipliedBy(10).plusSeconds(5);
    return new ServiceHeartbeat(
        notify,
        () -> {
          var snapshot = agent.sampler().lastSnapshot();
          return snapshot == null ? null : snapshot.sampledAt();
        },
        config.clock(),
        staleAfter);
  }
}
