package io.flexrig.agent;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one rig's agent until SIGTERM: {@code java -cp ... io.flexrig.agent.AgentMain
 * /etc/flexrig/agent.yaml}. Exit code 2 for a configuration error.
 */
public final class AgentMain {
  private static final Logger log = LoggerFactory.getLogger(AgentMain.class);

  private AgentMain() {}

  public static void main(String[] args) throws InterruptedException {
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
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("stopping");
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
    stopped.await();
  }
}
