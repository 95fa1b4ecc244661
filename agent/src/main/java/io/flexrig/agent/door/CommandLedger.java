package io.flexrig.agent.door;

import io.flexrig.proto.v1.Command;
import io.flexrig.proto.v1.CommandAck;
import io.flexrig.proto.v1.CommandOutcome;
import io.flexrig.proto.v1.CommandResult;
import io.flexrig.proto.v1.CommandStatus;
import io.flexrig.proto.v1.ListActiveCommandsResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What became of the commands the agent accepted, through either door, for {@code
 * ListActiveCommands}. It mirrors the executor's rule that every accepted command replaces the one
 * before, so at most one command is in force. Thread-safe.
 */
public final class CommandLedger {
  /** Source of commands that came down the controller's stream. */
  public static final String CONTROLLER = "controller";

  /** Source of commands that came through {@code AgentService}. */
  public static final String AGENT_API = "agent-api";

  static final int RECENT = 16;

  private final Clock clock;
  private final List<CommandStatus> recent = new ArrayList<>(); // newest first

  public CommandLedger(Clock clock) {
    this.clock = clock;
  }

  /** Records an ack; rejected commands and repeated ids are not recorded again. */
  public synchronized void acknowledged(Command command, CommandAck ack, String source) {
    if (!ack.getAccepted()) {
      return;
    }
    for (CommandStatus s : recent) {
      if (s.getCommand().getCommandId().equals(ack.getCommandId())) {
        return;
      }
    }
    recent.addFirst(
        CommandStatus.newBuilder().setCommand(command).setAck(ack).setSource(source).build());
    if (recent.size() > RECENT) {
      recent.removeLast();
    }
  }

  /** Records a command's verified outcome. */
  public synchronized void finished(CommandResult result) {
    for (int i = 0; i < recent.size(); i++) {
      CommandStatus s = recent.get(i);
      if (s.getCommand().getCommandId().equals(result.getCommandId())) {
        recent.set(i, s.toBuilder().setResult(result).build());
        return;
      }
    }
  }

  /** The command in force (if any) and the recent ones. */
  public synchronized ListActiveCommandsResponse list() {
    ListActiveCommandsResponse.Builder b = ListActiveCommandsResponse.newBuilder();
    b.addAllRecent(recent);
    // arming and workload switches replace nothing: the newest other command is the one in force
    CommandStatus newest = null;
    for (CommandStatus s : recent) {
      if (!s.getCommand().hasArmFrequencyResponse() && !s.getCommand().hasSwitchWorkload()) {
        newest = s;
        break;
      }
    }
    if (newest != null && inForce(newest, clock.instant())) {
      b.addActive(newest);
    }
    return b.build();
  }

  private static boolean inForce(CommandStatus s, Instant now) {
    Command c = s.getCommand();
    Instant expires =
        Instant.ofEpochSecond(c.getExpiresAt().getSeconds(), c.getExpiresAt().getNanos());
    if (!expires.isAfter(now)) {
      return false;
    }
    if (s.hasResult() && s.getResult().getOutcome() == CommandOutcome.COMMAND_OUTCOME_SUPERSEDED) {
      return false;
    }
    // wake and release are done once they took effect; a curtailment is held until it expires
    boolean curtails = c.hasSetPowerTarget() || c.hasSleep();
    return curtails || !s.hasResult();
  }
}
