package io.flexrig.agent;

import io.flexrig.agent.cli.FlexrigAgentCommand;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * The agent's entry point, {@code flexrig-agent} ({@link FlexrigAgentCommand}): {@code run
 * [CONFIG]}, {@code probe}, {@code profile validate FILE...}, {@code status}, {@code --version},
 * {@code --help}. {@code AgentMain [CONFIG]}, the command line before subcommands, still runs the
 * agent.
 */
public final class AgentMain {
  private AgentMain() {}

  public static void main(String[] args) {
    int exit =
        FlexrigAgentCommand.execute(
            args,
            new PrintWriter(System.out, true, StandardCharsets.UTF_8),
            new PrintWriter(System.err, true, StandardCharsets.UTF_8));
    System.exit(exit);
  }
}
