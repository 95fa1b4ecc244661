package io.flexrig.agent.control;

import io.flexrig.agent.control.CurtailmentCommand.Action;
import io.flexrig.agent.control.CurtailmentCommand.ArmFrequencyResponse;
import io.flexrig.agent.control.CurtailmentCommand.Release;
import io.flexrig.agent.control.CurtailmentCommand.SetPowerTarget;
import io.flexrig.agent.control.CurtailmentCommand.Sleep;
import io.flexrig.agent.control.CurtailmentCommand.SwitchWorkload;
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

  // The last retry warning logged; a repeat of the same reason goes to debug.
  private String lastRetryReason;
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
  private final SafetyEnvelope safety;
  private final Duration minOff;
  private final Duration minOn;
  private final Duration sleepLatency;

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
  // what the safety loop made the executor do; control thread only except the volatile flags
  private volatile boolean safetyCut;
  private volatile boolean derated;
  private volatile boolean supplyOff;
  private Instant safetyCutAt;
  private Instant sleptAt;
  private Instant wokeAt;
  // after a restart the executor cannot know whether an earlier run left the miner asleep
  private boolean wakeUncertain;
  private FrequencyResponder frequency;
  private WorkloadSwitcher workloads;

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
    this(clock, profile, knobs, journal, SafetyEnvelope.NONE, results, grace);
  }

  /**
   * @param safety the envelope no command may leave: the effective power target is {@code
   *     min(command target, safety.ceilingW())} and the workload stays off while it requires a cut
   * @param grace how long after the deadline a target may still be reached (ACHIEVED_LATE) before
   *     the command is reported FAILED
   */
  public CommandExecutor(
      Clock clock,
      HardwareProfile profile,
      WorkloadKnobs knobs,
      CommandJournal journal,
      SafetyEnvelope safety,
      Consumer<CommandResult> results,
      Duration grace) {
    this.safety = safety;
    this.minOff = Duration.ofMillis(Math.round(profile.limits().minOffS() * 1000));
    this.minOn = Duration.ofMillis(Math.round(profile.limits().minOnS() * 1000));
    this.sleepLatency =
        Duration.ofMillis(
            Math.round(
                1000
                    * profile
                        .curtailment(CurtailmentMethodKind.SLEEP)
                        .map(c -> c.latencyS())
                        .orElse(0.0)));
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
    wakeUncertain = true;
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

  /**
   * The rig's frequency response, armed and disarmed through this command path; without one, arming
   * is rejected.
   */
  public void frequencyResponder(FrequencyResponder responder) {
    this.frequency = responder;
    CommandJournal.Arming journaled = journal.arming();
    if (responder != null && journaled != null) {
      responder.arm(journaled.armed(), journaled.program());
      log.info(
          "frequency response {} ({}) as journaled",
          journaled.armed() ? "armed" : "disarmed",
          journaled.program());
    }
  }

  /** The rig's supervised workloads, switched through this command path; without, rejected. */
  public void workloadSwitcher(WorkloadSwitcher switcher) {
    this.workloads = switcher;
  }

  /** What the rig has been put in, as reported: safety and relay states first. */
  public RigMode mode() {
    if (supplyOff) {
      return RigMode.OFF;
    }
    if (safetyCut || derated) {
      return RigMode.SAFETY_LIMITED;
    }
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
    if (c.action() instanceof ArmFrequencyResponse arm) {
      // not a curtailment: nothing is held or replaced, so no expiry or deadline is needed
      CommandAck ack =
          frequency == null
              ? CommandAck.rejected(
                  c.commandId(), "this rig's profile has no frequency_response", now)
              : new CommandAck(
                  c.commandId(),
                  true,
                  (arm.armed() ? "armed " : "disarmed ") + arm.program(),
                  false,
                  0,
                  now);
      if (frequency != null) {
        try {
          journal.armed(arm.armed(), arm.program());
        } catch (IOException | RuntimeException e) {
          log.error("journaling {} failed: {}", c.commandId(), e.toString());
          return CommandAck.rejected(c.commandId(), "journal unavailable: " + e.getMessage(), now);
        }
        frequency.arm(arm.armed(), arm.program());
        log.info("frequency response {} ({})", arm.armed() ? "armed" : "disarmed", arm.program());
      }
      acks.put(c.commandId(), ack);
      return ack;
    }
    if (c.action() instanceof SwitchWorkload sw) {
      CommandAck ack = switchWorkload(c, sw, now);
      acks.put(c.commandId(), ack);
      return ack;
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
        ackedW = Math.min(targetW, safety.ceilingW());
        clamped = Math.abs(ackedW - t.powerW()) > 1e-6;
        if (ackedW < targetW) {
          reason =
              String.format(
                  Locale.ROOT,
                  "clamped from %.0f W to %.0f W by the safety loop: %s",
                  t.powerW(),
                  ackedW,
                  safety.reason());
        } else if (clamped) {
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
      case ArmFrequencyResponse f -> throw new IllegalStateException("handled above");
      case SwitchWorkload w -> throw new IllegalStateException("handled above");
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

  /**
   * A switch is not a curtailment: the command held (and its power target) stays in force across
   * it. The switcher records the choice durably before the ack, and refuses a switch inside the
   * running workload's hold.
   */
  private CommandAck switchWorkload(CurtailmentCommand c, SwitchWorkload sw, Instant now) {
    String problem;
    if (workloads == null) {
      problem = "this rig has no supervised workloads to switch";
    } else if (sw.workload() == null || sw.workload().isBlank()) {
      problem = "workload missing";
    } else if (c.expiresAt() == null) {
      problem = "expires_at missing";
    } else if (!c.expiresAt().isAfter(now)) {
      problem = "expired at " + c.expiresAt() + " (received " + now + ")";
    } else {
      problem = workloads.problemWith(sw.workload(), now);
    }
    if (problem != null) {
      return CommandAck.rejected(c.commandId(), problem, now);
    }
    try {
      workloads.switchTo(c.commandId(), sw.workload(), now);
    } catch (IOException | RuntimeException e) {
      log.error("recording switch {} failed: {}", c.commandId(), e.toString());
      return CommandAck.rejected(c.commandId(), "journal unavailable: " + e.getMessage(), now);
    }
    log.info("switching workload to {} ({})", sw.workload(), c.commandId());
    return new CommandAck(c.commandId(), true, "switching to " + sw.workload(), false, 0, now);
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
      if (profile.curtailment(CurtailmentMethodKind.POWER_TARGET).isEmpty()
          && profile.curtailment(CurtailmentMethodKind.GPU_POWER_LIMIT).isEmpty()) {
        return "this rig has no POWER_TARGET or GPU_POWER_LIMIT method";
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
    if (enforceCut(now, power)) {
      return;
    }
    if (pendingRestore != null) {
      restore(now);
    }
    enforceCeiling();
    if (active == null) {
      return;
    }
    Active a = active;
    if (!a.applied) {
      apply(a, now, power);
    }
    if (!a.applied) {
      if (!a.finished && a.deadline() != null && now.isAfter(a.deadline().plus(grace))) {
        finish(a, CommandOutcome.FAILED, power, now, "knob failed: " + a.lastError);
      }
      return;
    }
    if (a.wakeIntoTarget && mode == RigMode.SLEEPING) {
      wakeIntoTarget(a, now);
    }
    if (!isCurtailment(a.command.action())) {
      // Wake and release only restore normal running: done once the knob took it.
      finish(a, CommandOutcome.ACHIEVED, power, now, a.knobDetail);
      active = null;
      return;
    }
    boolean trusted = power.quality() == Quality.GOOD && Double.isFinite(power.value());
    double effectiveW = effective(a);
    boolean reached = trusted && power.value() <= effectiveW + tolerance(effectiveW);
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
                    effectiveW)
                : "no trustworthy power measurement (" + power.quality() + ")");
      }
    } else if (trusted
        && !reached
        && Duration.between(a.appliedAt, now).compareTo(reassertEvery) >= 0) {
      log.info(
          "rig drew {} W above its held setpoint {} W; re-applying {}",
          Math.round(power.value()),
          Math.round(effectiveW),
          a.command.commandId());
      a.applied = false;
      apply(a, now, power);
    }
  }

  private void apply(Active a, Instant now, Measurement power) {
    try {
      if (a.knob == null && isCurtailment(a.command.action())) {
        double goal = a.command.action() instanceof Sleep ? limits.sleepPowerW() : effective(a);
        Duration left = a.deadline() == null ? Duration.ZERO : Duration.between(now, a.deadline());
        a.knob =
            KnobChoice.choose(
                profile,
                power.quality() == Quality.GOOD ? power.value() : Double.NaN,
                goal,
                left.isNegative() ? Duration.ZERO : left,
                knobs.hasSupplySwitch());
      }
      if (a.knob == CurtailmentMethodKind.RELAY_CUT) {
        knobs.setSupply(false);
        supplyOff = true;
        a.knobDetail = "relay cut (the only knob fast enough for the deadline)";
        a.applied = true;
        a.appliedAt = now;
        return;
      }
      if (supplyOff && !safetyCut) {
        // an earlier command cut the supply: power the rig again before using its other knobs
        knobs.setSupply(true);
        supplyOff = false;
        mode = RigMode.RUNNING;
      }
      switch (a.command.action()) {
        case SetPowerTarget t when a.knob == CurtailmentMethodKind.SLEEP -> {
          // too slow to ramp in time: sleep now with the target set, wake into it later
          double w = effective(a);
          knobs.setPowerTarget(w);
          powerTargetW = w;
          if (mode != RigMode.SLEEPING) {
            knobs.sleep();
            sleptAt = now;
          }
          mode = RigMode.SLEEPING;
          a.wakeIntoTarget = true;
          a.knobDetail =
              String.format(Locale.ROOT, "curtail sleep to meet the deadline, then %.0f W", w);
        }
        case SetPowerTarget t -> {
          // target first: a sleeping miner woken afterwards never overshoots it
          double w = effective(a);
          if (mode == RigMode.SLEEPING) {
            checkMayWake(now);
          }
          knobs.setPowerTarget(w);
          powerTargetW = w;
          derated = w < a.targetW;
          if (mode == RigMode.SLEEPING || wakeUncertain) {
            wakeKnob(now);
          }
          mode = RigMode.CURTAILED;
          a.knobDetail = String.format(Locale.ROOT, "power target %.0f W", w);
        }
        case Sleep s -> {
          if (mode != RigMode.SLEEPING) {
            if (wokeAt != null && now.isBefore(wokeAt.plus(minOn))) {
              // PSU cycling: hold the lowest power target until the minimum on time has passed
              if (powerTargetW != limits.minPowerTargetW()) {
                knobs.setPowerTarget(limits.minPowerTargetW());
                powerTargetW = limits.minPowerTargetW();
                mode = RigMode.CURTAILED;
              }
              throw new IOException("minimum on time: sleep deferred until " + wokeAt.plus(minOn));
            }
            knobs.sleep();
            sleptAt = now;
          }
          wakeUncertain = false;
          mode = RigMode.SLEEPING;
          a.knobDetail = "curtail sleep";
        }
        case Wake w -> {
          if (mode == RigMode.SLEEPING) {
            checkMayWake(now);
            wakeKnob(now);
          }
          mode =
              powerTargetW > 0 && powerTargetW < nameplateTargetW()
                  ? RigMode.CURTAILED
                  : RigMode.RUNNING;
          a.knobDetail = "curtail wakeup";
        }
        case Release r -> {
          restoreKnobs(now);
          a.knobDetail =
              String.format(Locale.ROOT, "released: power target %.0f W", nameplateTargetW());
        }
        case ArmFrequencyResponse f -> a.knobDetail = "";
        case SwitchWorkload w -> a.knobDetail = "";
      }
      a.applied = true;
      a.appliedAt = now;
    } catch (IOException | RuntimeException e) {
      a.lastError = e.getMessage();
      logRetry("applying " + a.command.commandId() + " failed", e);
    }
  }

  /** After a sleep chosen for speed, resumes at the command's target once the rig may restart. */
  private void wakeIntoTarget(Active a, Instant now) {
    if (sleptAt != null && now.isBefore(sleptAt.plus(minOff))) {
      return;
    }
    try {
      double w = effective(a);
      knobs.setPowerTarget(w);
      powerTargetW = w;
      wakeKnob(now);
      mode = RigMode.CURTAILED;
      a.wakeIntoTarget = false;
    } catch (IOException | RuntimeException e) {
      log.warn(
          "waking {} into its target failed, will retry: {}", a.command.commandId(), e.toString());
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
      restoreKnobs(now);
      pendingRestore = null;
    } catch (IOException | RuntimeException e) {
      // keep trying on every step: the rig must not stay curtailed past the event
      logRetry("releasing the rig failed, will retry", e);
    }
  }

  private void restoreKnobs(Instant now) throws IOException {
    if (supplyOff && !safetyCut) {
      knobs.setSupply(true);
      supplyOff = false;
      mode = RigMode.RUNNING; // the workload boots with the supply
    }
    if (mode == RigMode.SLEEPING) {
      checkMayWake(now);
    }
    double w = Math.min(nameplateTargetW(), safety.ceilingW());
    knobs.setPowerTarget(w);
    powerTargetW = w;
    derated = w < nameplateTargetW();
    if (mode == RigMode.SLEEPING || wakeUncertain) {
      wakeKnob(now);
    }
    mode = RigMode.RUNNING;
  }

  private void checkMayWake(Instant now) throws IOException {
    if (sleptAt != null && now.isBefore(sleptAt.plus(minOff))) {
      throw new IOException("minimum off time: wake deferred until " + sleptAt.plus(minOff));
    }
  }

  private void wakeKnob(Instant now) throws IOException {
    knobs.wake();
    wokeAt = now;
    wakeUncertain = false;
  }

  /** The power target a held command runs at: its own, under the safety ceiling. */
  private double effective(Active a) {
    return Math.min(a.targetW, safety.ceilingW());
  }

  /**
   * Keeps the workload off while the safety loop requires a cut: sleep, or the supply relay when
   * the rig has no sleep or sleeping did not bring the power down within the sleep latency. Lifts
   * the cut (and re-applies the held command) once the loop allows it. Returns true while cut.
   */
  private boolean enforceCut(Instant now, Measurement power) {
    if (safety.cutRequired()) {
      if (!safetyCut) {
        safetyCut = true;
        safetyCutAt = now;
        log.warn("safety cut: {}", safety.reason());
        boolean relayFirst = safety.cutBySupply() && knobs.hasSupplySwitch();
        if (mode != RigMode.SLEEPING
            && !relayFirst
            && profile.curtailment(CurtailmentMethodKind.SLEEP).isPresent()) {
          try {
            knobs.sleep();
            sleptAt = now;
            mode = RigMode.SLEEPING;
          } catch (IOException | RuntimeException e) {
            log.warn("sleep for the safety cut failed: {}", e.toString());
          }
        }
      }
      if (safety.cutBySupply() && !supplyOff && knobs.hasSupplySwitch()) {
        try {
          knobs.setSupply(false);
          supplyOff = true;
          log.warn("supply cut by relay: {}", safety.reason());
        } catch (IOException | RuntimeException e) {
          log.error("relay cut failed: {}", e.toString());
        }
      }
      boolean asleep = mode == RigMode.SLEEPING;
      boolean unresponsive =
          asleep
              && !now.isBefore(safetyCutAt.plus(sleepLatency.multipliedBy(2)))
              && power.quality() == Quality.GOOD
              && power.value() > limits.sleepPowerW() + tolerance(limits.sleepPowerW());
      if (!supplyOff && (!asleep || unresponsive) && knobs.hasSupplySwitch()) {
        try {
          knobs.setSupply(false);
          supplyOff = true;
          log.warn("supply cut by relay: {}", asleep ? "sleep did not stop the rig" : "no sleep");
        } catch (IOException | RuntimeException e) {
          log.error("relay cut failed: {}", e.toString());
        }
      }
      return true;
    }
    if (!safetyCut) {
      return false;
    }
    try {
      if (mode == RigMode.SLEEPING) {
        checkMayWake(now);
      }
      if (supplyOff) {
        knobs.setSupply(true);
        supplyOff = false;
      }
      boolean heldSleep = active != null && active.command.action() instanceof Sleep;
      if (mode == RigMode.SLEEPING && !heldSleep) {
        double w = Math.min(limits.minPowerTargetW(), safety.ceilingW());
        knobs.setPowerTarget(w);
        powerTargetW = w;
        derated = true;
        wakeKnob(now);
        mode = RigMode.RUNNING;
      }
      safetyCut = false;
      if (active != null) {
        active.applied = false;
      }
      log.info("safety cut lifted");
      return false;
    } catch (IOException | RuntimeException e) {
      log.warn("lifting the safety cut failed, will retry: {}", e.toString());
      return true;
    }
  }

  /**
   * Lowers the running power target to the safety ceiling when it drops, and raises it back toward
   * what the held command (or normal running) wants when the ceiling climbs again.
   */
  private void enforceCeiling() {
    if (mode == RigMode.SLEEPING) {
      return;
    }
    double ceiling = safety.ceilingW();
    boolean commanded = active != null && active.command.action() instanceof SetPowerTarget;
    if (active != null && !active.applied) {
      return; // the command's own knob goes first
    }
    double wanted = commanded ? active.targetW : nameplateTargetW();
    double effective = Math.min(wanted, ceiling);
    boolean lower = ceiling < wanted && (powerTargetW <= 0 || powerTargetW > ceiling + 0.5);
    boolean raise = derated && Math.abs(powerTargetW - effective) > 0.5 && !lower;
    if (!lower && !raise) {
      derated = derated && effective < wanted;
      return;
    }
    try {
      knobs.setPowerTarget(effective);
      powerTargetW = effective;
      derated = effective < wanted;
      log.info(
          "safety ceiling {} W: power target now {} W", Math.round(ceiling), Math.round(effective));
    } catch (IOException | RuntimeException e) {
      log.warn("applying the safety ceiling failed, will retry: {}", e.toString());
    }
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
    CurtailmentMethodKind knob;
    boolean wakeIntoTarget;
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

  // A knob that keeps refusing (e.g. a wake deferred by the minimum off time) is retried on every
  // step; one warning per distinct reason keeps the log to one line per event, not per sample.

  private void logRetry(String what, Exception e) {
    String reason = what + ": " + e.getMessage();
    if (reason.equals(lastRetryReason)) {
      log.debug("{}", reason);
    } else {
      lastRetryReason = reason;
      log.warn("{}", reason);
    }
  }
}
