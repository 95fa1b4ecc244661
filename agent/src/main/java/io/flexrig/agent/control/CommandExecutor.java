package io.flexrig.agent.control;

import io.flexrig.agent.control.CurtailmentCommand.Action;
import io.flexrig.agent.control.CurtailmentCommand.Release;
import io.flexrig.agent.control.CurtailmentCommand.SetPowerTarget;
import io.flexrig.agent.control.CurtailmentCommand.Sleep;
import io.flexrig.agent.control.CurtailmentCommand.Wake;
import io.flexrig.agent.sampler.Measurement;
import io.flexrig.agent.sampler.RigSnapshot;
import io.flexrig.agent.source.Quality;
import io.flexrig.core.profile.CurtailmentMethodKind;
import io.flexrig.core.profile.HardwareProfile;
import io.flexrig.core.profile.Limits;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one command path of the agent: validates a command, clamps it to the profile's limits,
 * journals it, applies it through the fastest suitable knob and verifies it by measured power.
 *
 * <p>A curtailment (power target or sleep) is held until its {@code expires_at} and then released
 * by the executor itself, with or without the controller: the rig never stays curtailed past the
 * event. While held, a measured power above the setpoint makes the executor re-apply the knob (a
 * miner that rebooted forgets its target). Commands are idempotent by id.
 *
 * <p>Call {@link #submit} and {@link #step} from one thread; {@link #mode} and {@link
 * #powerTargetW} may be read from any thread. The clock is injected so tests drive time.
 */
public final class CommandExecutor {
  private static final Logger log = LoggerFactory.getLogger(CommandExecutor.class);
  private static final int REMEMBERED_COMMANDS = 1024;
  private static final double TOLERANCE_FRACTION = 0.03;
  private static final double TOLERANCE_MIN_W = 30;

  private final Clock clock;
  private final HardwareProfile profile;
  private final Limits limits;
  private final WorkloadKnobs knobs;
  private final CommandJournal journal;
  private final Consumer<CommandResult> results;
  private final Duration grace;
  private final Duration reassertEvery;

  private final Map<String, CommandAck> acks =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CommandAck> eldest) {
          return size() > REMEMBERED_COMMANDS;
        }
      };

  private Active active;
  private Restore pendingRestore;
  private volatile RigMode mode = RigMode.RUNNING;
  private volatile double powerTargetW;

  /**
   * @param grace how long after the deadline a target may still be reached (ACHIEVED_LATE) before
   *     the command is reported FAILED
   */
  public CommandExecutor(
      Clock clock,
      HardwareProfile profile,
      WorkloadKnobs knobs,
      CommandJournal journal,
      Consumer<CommandResult> results,
      Duration grace) {
    this.clock = clock;
    this.profile = profile;
    this.limits = profile.limits();
    this.knobs = knobs;
    this.journal = journal;
    this.results = results;
    this.grace = grace;
    this.reassertEvery =
        Duration.ofSeconds(
            Math.max(
                5L,
                Math.round(
                    profile
                        .curtailment(CurtailmentMethodKind.POWER_TARGET)
                        .map(c -> c.latencyS())
                        .orElse(15.0))));
    resume(journal.live());
  }

  /**
   * Picks up where a previous run of the agent left off: the acks of journaled commands are
   * remembered (a repeated id is not executed twice) and the last one, if it curtails and has not
   * expired, is held again (its knob re-applied by the next {@link #step}); if it expired while the
   * agent was down, the rig is released.
   */
  private void resume(List<CommandJournal.Entry> entries) {
    Instant now = clock.instant();
    CommandJournal.Entry last = null;
    for (CommandJournal.Entry e : entries) {
      acks.put(e.command().commandId(), e.ack());
      if (!e.superseded()) {
        last = e;
      }
    }
    if (last == null || !isCurtailment(last.command().action())) {
      return;
    }
    if (!now.isBefore(last.command().expiresAt())) {
      log.info(
          "journaled command {} expired at {} while the agent was down; releasing",
          last.command().commandId(),
          last.command().expiresAt());
      pendingRestore = new Restore();
      return;
    }
    double targetW =
        last.command().action() instanceof Sleep
            ? limits.sleepPowerW()
            : last.ack().appliedPowerW();
    active = new Active(last.command(), targetW);
    active.finished = last.finished();
    log.info(
        "resuming journaled command {} ({} W) until {}",
        last.command().commandId(),
        Math.round(targetW),
        last.command().expiresAt());
  }

  /** What the rig has been put in. */
  public RigMode mode() {
    return mode;
  }

  /** The power target in force after clamping, in watts; 0 when none was ever set. */
  public double powerTargetW() {
    return powerTargetW;
  }

  /** The command being held, if any. */
  public String activeCommandId() {
    return active == null ? null : active.command.commandId();
  }

  /**
   * Validates and accepts (or rejects) a command. Accepted commands are journaled before this
   * returns; the knob is applied by the next {@link #step}.
   */
  public CommandAck submit(CurtailmentCommand c) {
    Instant now = clock.instant();
    if (c.commandId() == null || c.commandId().isBlank()) {
      return CommandAck.rejected("", "command_id missing", now);
    }
    CommandAck earlier = acks.get(c.commandId());
    if (earlier != null) {
      return earlier;
    }
    String problem = problemWith(c, now);
    if (problem != null) {
      CommandAck ack = CommandAck.rejected(c.commandId(), problem, now);
      acks.put(c.commandId(), ack);
      return ack;
    }
    double targetW;
    double ackedW = 0;
    boolean clamped = false;
    String reason = "";
    switch (c.action()) {
      case SetPowerTarget t -> {
        targetW = limits.clampPowerTarget(t.powerW());
        ackedW = targetW;
        clamped = Math.abs(targetW - t.powerW()) > 1e-6;
        if (clamped) {
          reason =
              String.format(
                  Locale.ROOT,
                  "clamped from %.0f W to %.0f W (limits %.0f-%.0f W)",
                  t.powerW(),
                  targetW,
                  limits.minPowerTargetW(),
                  limits.maxPowerW());
        }
      }
      case Sleep s -> targetW = limits.sleepPowerW();
      case Wake w -> targetW = nameplateTargetW();
      case Release r -> targetW = nameplateTargetW();
    }
    CommandAck ack = new CommandAck(c.commandId(), true, reason, clamped, ackedW, now);
    try {
      journal.accepted(c, ack);
    } catch (IOException | RuntimeException e) {
      // not durable means not accepted: a restart would forget it (the id may be sent again)
      log.error("journaling {} failed: {}", c.commandId(), e.toString());
      return CommandAck.rejected(c.commandId(), "journal unavailable: " + e.getMessage(), now);
    }
    acks.put(c.commandId(), ack);
    if (active != null && !active.finished) {
      finish(
          active, CommandOutcome.SUPERSEDED, Measurement.NONE, now, "replaced by " + c.commandId());
    }
    pendingRestore = null;
    active = new Active(c, targetW);
    return ack;
  }

  private String problemWith(CurtailmentCommand c, Instant now) {
    if (c.action() == null) {
      return "no action (set_power_target, sleep, wake or release)";
    }
    if (c.expiresAt() == null) {
      return "expires_at missing";
    }
    if (!c.expiresAt().isAfter(now)) {
      return "expired at " + c.expiresAt() + " (received " + now + ")";
    }
    boolean curtails = c.action() instanceof SetPowerTarget || c.action() instanceof Sleep;
    if (curtails && c.deadline() == null) {
      return "deadline missing";
    }
    if (c.action() instanceof SetPowerTarget t) {
      if (!Double.isFinite(t.powerW()) || t.powerW() <= 0) {
        return "power_w must be a positive number of watts, got " + t.powerW();
      }
      if (profile.curtailment(CurtailmentMethodKind.POWER_TARGET).isEmpty()) {
        return "this rig has no POWER_TARGET method";
      }
    }
    if (c.action() instanceof Sleep && profile.curtailment(CurtailmentMethodKind.SLEEP).isEmpty()) {
      return "this rig has no SLEEP method";
    }
    return null;
  }

  /**
   * Advances the held command with the latest snapshot: applies its knob if not yet applied,
   * verifies it against measured power, re-applies it if the rig drifted above it, and releases it
   * at its expiry. Call after every submit and every snapshot.
   */
  public void step(RigSnapshot snapshot) {
    Instant now = clock.instant();
    Measurement power = snapshot == null ? Measurement.NONE : snapshot.powerW();
    if (active != null
        && isCurtailment(active.command.action())
        && !now.isBefore(active.command.expiresAt())) {
      expire(active, power, now);
    }
    if (pendingRestore != null) {
      restore(now);
    }
    if (active == null) {
      return;
    }
    Active a = active;
    if (!a.applied) {
      apply(a, now);
    }
    if (!a.applied) {
      if (!a.finished && a.deadline() != null && now.isAfter(a.deadline().plus(grace))) {
        finish(a, CommandOutcome.FAILED, power, now, "knob failed: " + a.lastError);
      }
      return;
    }
    if (!isCurtailment(a.command.action())) {
      // Wake and release only restore normal running: done once the knob took it.
      finish(a, CommandOutcome.ACHIEVED, power, now, a.knobDetail);
      active = null;
      return;
    }
    boolean trusted = power.quality() == Quality.GOOD && Double.isFinite(power.value());
    boolean reached = trusted && power.value() <= a.targetW + tolerance(a.targetW);
    if (!a.finished) {
      if (reached) {
        CommandOutcome outcome =
            a.deadline() == null || !now.isAfter(a.deadline())
                ? CommandOutcome.ACHIEVED
                : CommandOutcome.ACHIEVED_LATE;
        finish(a, outcome, power, now, a.knobDetail);
      } else if (now.isAfter(a.deadline().plus(grace))) {
        finish(
            a,
            CommandOutcome.FAILED,
            power,
            now,
            trusted
                ? String.format(
                    Locale.ROOT,
                    "measured %.0f W still above %.0f W after the deadline",
                    power.value(),
                    a.targetW)
                : "no trustworthy power measurement (" + power.quality() + ")");
      }
    } else if (trusted
        && !reached
        && Duration.between(a.appliedAt, now).compareTo(reassertEvery) >= 0) {
      log.info(
          "rig drew {} W above its held setpoint {} W; re-applying {}",
          Math.round(power.value()),
          Math.round(a.targetW),
          a.command.commandId());
      a.applied = false;
      apply(a, now);
    }
  }

  private void apply(Active a, Instant now) {
    try {
      switch (a.command.action()) {
        case SetPowerTarget t -> {
          // target first: a sleeping miner woken afterwards never overshoots it
          knobs.setPowerTarget(a.targetW);
          powerTargetW = a.targetW;
          if (mode == RigMode.SLEEPING) {
            knobs.wake();
          }
          mode = RigMode.CURTAILED;
          a.knobDetail = String.format(Locale.ROOT, "power target %.0f W", a.targetW);
        }
        case Sleep s -> {
          knobs.sleep();
          mode = RigMode.SLEEPING;
          a.knobDetail = "curtail sleep";
        }
        case Wake w -> {
          knobs.wake();
          mode =
              powerTargetW > 0 && powerTargetW < nameplateTargetW()
                  ? RigMode.CURTAILED
                  : RigMode.RUNNING;
          a.knobDetail = "curtail wakeup";
        }
        case Release r -> {
          restoreKnobs();
          a.knobDetail =
              String.format(Locale.ROOT, "released: power target %.0f W", nameplateTargetW());
        }
      }
      a.applied = true;
      a.appliedAt = now;
    } catch (IOException | RuntimeException e) {
      a.lastError = e.getMessage();
      log.warn("applying {} failed: {}", a.command.commandId(), e.getMessage());
    }
  }

  private void expire(Active a, Measurement power, Instant now) {
    if (!a.finished) {
      finish(a, CommandOutcome.SUPERSEDED, power, now, "expired before the target was reached");
    }
    log.info("command {} expired at {}; releasing", a.command.commandId(), a.command.expiresAt());
    active = null;
    pendingRestore = new Restore();
  }

  private void restore(Instant now) {
    try {
      restoreKnobs();
      pendingRestore = null;
    } catch (IOException | RuntimeException e) {
      // keep trying on every step: the rig must not stay curtailed past the event
      log.warn("releasing the rig failed, will retry: {}", e.getMessage());
    }
  }

  private void restoreKnobs() throws IOException {
    knobs.setPowerTarget(nameplateTargetW());
    powerTargetW = nameplateTargetW();
    if (mode == RigMode.SLEEPING) {
      knobs.wake();
    }
    mode = RigMode.RUNNING;
  }

  private void finish(
      Active a, CommandOutcome outcome, Measurement power, Instant now, String detail) {
    a.finished = true;
    CommandResult r =
        new CommandResult(
            a.command.commandId(),
            outcome,
            power.valueOr(0),
            a.command.action() instanceof SetPowerTarget ? a.targetW : 0,
            now,
            detail == null ? "" : detail);
    journal.finished(r);
    results.accept(r);
  }

  private double nameplateTargetW() {
    return limits.clampPowerTarget(profile.nameplate().powerW());
  }

  /** How far above its target a rig may measure and still count as on target: 3 % or 30 W. */
  public static double tolerance(double targetW) {
    return Math.max(TOLERANCE_MIN_W, TOLERANCE_FRACTION * targetW);
  }

  private static boolean isCurtailment(Action action) {
    return action instanceof SetPowerTarget || action instanceof Sleep;
  }

  private static final class Active {
    final CurtailmentCommand command;
    final double targetW;
    boolean applied;
    Instant appliedAt;
    boolean finished;
    String lastError = "";
    String knobDetail = "";

    Active(CurtailmentCommand command, double targetW) {
      this.command = command;
      this.targetW = targetW;
    }

    Instant deadline() {
      return command.deadline();
    }
  }

  /** A release owed to the rig (its command expired) that has not gone through yet. */
  private static final class Restore {}
}
