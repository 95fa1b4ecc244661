package io.flexrig.controller.events;

import io.flexrig.controller.dispatch.Setpoint;
import io.flexrig.controller.fleet.FleetState;
import io.flexrig.controller.fleet.HeldCommand;
import io.flexrig.controller.fleet.RigView;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Setpoints a controller loop keeps in force by itself, outside any grid event (price-driven
 * curtailment, the mining/AI choice of a hybrid site): each is journalled, held in the fleet state,
 * sent with an expiry of {@link #TTL} and refreshed half way, so a controller that goes away leaves
 * no rig curtailed for long. The loop names itself by the event id its commands carry.
 */
public final class StandingCommands {

  /** A standing command lapses this long after it was sent unless refreshed. */
  public static final Duration TTL = Duration.ofMinutes(15);

  /** A standing command is sent again this long after it was issued. */
  public static final Duration REFRESH_AFTER = TTL.dividedBy(2);

  private final FleetState fleet;
  private final CommandSender sender;
  private final EventJournal journal;

  public StandingCommands(FleetState fleet, CommandSender sender, EventJournal journal) {
    this.fleet = Objects.requireNonNull(fleet, "fleet");
    this.sender = Objects.requireNonNull(sender, "sender");
    this.journal = Objects.requireNonNull(journal, "journal");
  }

  /**
   * Sends the setpoint under the event id and holds it in the fleet state; if the rig's session
   * cannot take it, the previously held command stays.
   *
   * @return whether it was sent
   */
  public boolean hold(RigView rig, String eventId, Setpoint setpoint, Instant now) {
    RigCommand command =
        command(
            rig.rigId(),
            eventId,
            now,
            setpoint instanceof Setpoint.Sleep
                ? RigCommand.Action.SLEEP
                : RigCommand.Action.SET_POWER_TARGET,
            setpoint instanceof Setpoint.PowerTarget(double w) ? w : 0);
    journal.commandIssued(command);
    HeldCommand previous =
        fleet.holdCommand(
            rig.rigId(), new HeldCommand(command.commandId(), eventId, setpoint, now));
    if (sender.send(command)) {
      return true;
    }
    fleet.commandNotSent(rig.rigId(), command.commandId(), previous);
    return false;
  }

  /**
   * Sends the held setpoint again when it was issued {@link #REFRESH_AFTER} ago or more.
   *
   * @return whether a command was sent
   */
  public boolean refreshIfDue(RigView rig, Optional<HeldCommand> held, Instant now) {
    if (held.isEmpty() || held.get().issuedAt().plus(REFRESH_AFTER).isAfter(now)) {
      return false;
    }
    return hold(rig, held.get().eventId(), held.get().setpoint(), now);
  }

  /**
   * Releases the rig from the event's setpoint (the agent returns to its normal operation).
   *
   * @return whether the release was sent
   */
  public boolean release(RigView rig, String eventId, Instant now) {
    RigCommand command = command(rig.rigId(), eventId, now, RigCommand.Action.RELEASE, 0);
    journal.commandIssued(command);
    if (!sender.send(command)) {
      return false;
    }
    fleet.releaseCommand(rig.rigId(), eventId);
    return true;
  }

  private static RigCommand command(
      String rigId, String eventId, Instant now, RigCommand.Action action, double powerW) {
    return new RigCommand(
        UUID.randomUUID().toString(),
        eventId,
        rigId,
        now,
        now.plus(REFRESH_AFTER),
        now.plus(TTL),
        action,
        powerW);
  }
}
