package io.flexrig.agent.door;

import io.flexrig.proto.v1.Command;
import io.flexrig.proto.v1.CommandAck;
import java.util.concurrent.CompletableFuture;

/** The agent's one command path, as seen from a door: submit a command, get its ack. */
@FunctionalInterface
public interface CommandPath {

  /**
   * Submits a command to the agent's executor (validation, clamping, journal, knobs).
   *
   * @param source which door it came through, e.g. {@link CommandLedger#AGENT_API}
   * @return the ack, completed on the control thread; failed when the agent cannot take commands
   */
  CompletableFuture<CommandAck> execute(Command command, String source);
}
