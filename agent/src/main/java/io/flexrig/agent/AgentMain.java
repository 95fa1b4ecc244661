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
    // Milo's OpcUaClient reads every jar's manifest through jar: URLs when its class initialises;
    // for the signed BouncyCastle jars that verifies their signatures, and a cached connection
    // would keep the verifier (about 4 MiB of heap, the manifests' per-entry digests) for the life
    // of the process. Uncached, it is garbage once read (bench/README.md, footprint).
    java.net.URLConnection.setDefaultUseCaches("jar", false);
    int exit =
        FlexrigAgentCommand.execute(
            args,
            new PrintWriter(System.out, true, StandardCharsets.UTF_8),
            new PrintWriter(System.err, true, StandardCharsets.UTF_8));
    System.exit(exit);
  }
}
