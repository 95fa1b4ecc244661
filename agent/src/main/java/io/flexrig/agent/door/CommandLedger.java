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
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

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
  private final Map<Tally, Long> acks = new TreeMap<>();
  private final Map<String, Long> outcomes = new TreeMap<>();

  /**
   * One kind of ack: which door the command came through and what became of it.
   *
   * @param door {@link #CONTROLLER} or {@link #AGENT_API}
   * @param result {@code accepted}, {@code clamped} (accepted within the limits) or {@code
   *     rejected}
   */
  public record Tally(String door, String result) implements Comparable<Tally> {
    @Override
    public int compareTo(Tally o) {
      int c = door.compareTo(o.door);
      return c != 0 ? c : result.compareTo(o.result);
    }
  }

  public CommandLedger(Clock clock) {
    this.clock = clock;
  }

  /** Records an ack; rejected commands and repeated ids are not recorded again. */
  public synchronized void acknowledged(Command command, CommandAck ack, String source) {
    String result = !ack.getAccepted() ? "rejected" : ack.getClamped() ? "clamped" : "accepted";
    acks.merge(new Tally(source, result), 1L, Long::sum);
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
    outcomes.merge(outcomeName(result.getOutcome()), 1L, Long::sum);
    for (int i = 0; i < recent.size(); i++) {
      CommandStatus s = recent.get(i);
      if (s.getCommand().getCommandId().equals(result.getCommandId())) {
        recent.set(i, s.toBuilder().setResult(result).build());
        return;
      }
    }
  }

  /** Acks given since start, by door and result (for {@code /metrics}). */
  public synchronized Map<Tally, Long> ackCounts() {
    return Map.copyOf(acks);
  }

  /** Verified outcomes since start, by outcome ({@code achieved}, {@code failed}, ...). */
  public synchronized Map<String, Long> outcomeCounts() {
    return Map.copyOf(outcomes);
  }

  private static String outcomeName(CommandOutcome outcome) {
    return outcome.name().replace("COMMAND_OUTCOME_", "").toLowerCase(Locale.ROOT);
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
