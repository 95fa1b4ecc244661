package io.flexrig.agent.safety;

import io.flexrig.agent.control.CommandExecutor;
import io.flexrig.agent.control.SafetyEnvelope;
import io.flexrig.agent.safety.SafetyAlarm.Severity;
import io.flexrig.agent.sampler.Measurement;
import io.flexrig.agent.sampler.RigSnapshot;
import io.flexrig.agent.source.Quality;
import io.flexrig.agent.source.Reading;
import io.flexrig.core.profile.HardwareProfile;
import io.flexrig.core.profile.Limits;
import io.flexrig.core.profile.TemperatureLimit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The rig's local safety loop, pure logic: from each snapshot and the profile's {@link Limits} it
 * derives the {@link SafetyEnvelope} the executor must stay inside, independent of any command or
 * of the controller link.
 *
 * <ul>
 *   <li>a chip, board or inlet temperature at or above its derate threshold lowers the power
 *       ceiling one step (a tenth of max power) at once and again every step interval while hot;
 *   <li>at or above a critical threshold the workload is cut;
 *   <li>a fan below {@code min_fan_rpm} while the rig draws power derates to the lowest power
 *       target at once and cuts on the {@value #FAN_CONFIRM_SAMPLES}th sample in a row or as soon
 *       as a temperature reaches derate: without airflow no power level is safe, so the loop cuts
 *       well before the critical temperature rather than at it;
 *   <li>measured power above {@code max_power_w} (beyond measurement tolerance) lowers the ceiling
 *       by the excess;
 *   <li>after a cut the workload stays off for {@code min_off_s} and until every temperature is
 *       below its derate threshold by {@value #HYSTERESIS_C} C and the fans turn; the ceiling
 *       climbs back one step per interval once cool.
 * </ul>
 *
 * <p>Not thread-safe for {@link #observe}: call it from the control thread. The envelope getters
 * may be read from any thread.
 */
public final class SafetyLoop implements SafetyEnvelope {
  static final int FAN_CONFIRM_SAMPLES = 3;
  static final double HYSTERESIS_C = 5;
  private static final Pattern FAN = Pattern.compile("miner\\.fan\\d+");
  public static final String INLET_TEMP = "inlet_temp";
  private static final String FANS_STOPPED = "miner.fans_stopped";

  private final Limits limits;
  private final double stepW;
  private final Duration stepInterval;

  private volatile double ceilingW;
  private volatile boolean cut;
  private volatile String reason = "";
  private Instant lastStepAt;
  private Instant cutAt;
  private Instant coolSince;
  private int fanFailedSamples;
  private boolean fanAlarmRaised;
  private boolean cutForFan;

  /**
   * @param stepInterval time between two derate (or recovery) steps: long enough for the
   *     temperatures to answer the previous step
   */
  public SafetyLoop(Limits limits, Duration stepInterval) {
    this.limits = limits;
    this.stepW = Math.max(1, limits.maxPowerW() / 10);
    this.stepInterval = stepInterval;
    this.ceilingW = limits.maxPowerW();
  }

  /** A loop stepping once per quarter of the profile's thermal time constant. */
  public static SafetyLoop forProfile(HardwareProfile profile) {
    long ms = Math.max(1000, Math.round(profile.thermal().timeConstantS() * 250));
    return new SafetyLoop(profile.limits(), Duration.ofMillis(ms));
  }

  @Override
  public double ceilingW() {
    return ceilingW;
  }

  @Override
  public boolean cutRequired() {
    return cut;
  }

  @Override
  public String reason() {
    return reason;
  }

  /** Judges one snapshot; returns the alarms it raised (empty most of the time). */
  public List<SafetyAlarm> observe(RigSnapshot s) {
    Instant now = s.sampledAt();
    List<SafetyAlarm> alarms = new ArrayList<>(2);
    Hottest chip = hottest(s, RigSnapshot.CHIP_TEMP_MAX, limits.chipTempC(), "chip");
    Hottest board = hottest(s, "miner.pcb_temp_max", limits.boardTempC(), "board");
    Hottest inlet = hottest(s, INLET_TEMP, limits.inletTempC(), "inlet");
    Hottest worst = worst(chip, worst(board, inlet));
    boolean critical = worst != null && worst.celsius >= worst.limit.criticalC();
    boolean hot = worst != null && worst.celsius >= worst.limit.derateC();
    boolean cool = worst == null || worst.celsius < worst.limit.derateC() - HYSTERESIS_C;

    Measurement power = s.powerW();
    boolean trusted = power.quality() == Quality.GOOD && Double.isFinite(power.value());
    boolean drawing = trusted && power.value() > Math.max(100, 4 * limits.sleepPowerW());
    double slowestFan = slowestFan(s);
    boolean fanFailed = limits.minFanRpm() > 0 && drawing && slowestFan < limits.minFanRpm();
    // after a fan cut the fans must be seen turning again (idle fans turn while asleep)
    boolean fansTurn =
        limits.minFanRpm() <= 0
            || slowestFan >= limits.minFanRpm()
            || (!drawing && !(cut && cutForFan));
    fanFailedSamples = fanFailed ? fanFailedSamples + 1 : 0;

    if (critical && !cut) {
      cut(now, worst.describe() + " at or above critical " + fmt(worst.limit.criticalC()) + " C");
      alarms.add(new SafetyAlarm(SafetyAlarm.THERMAL_CUT, Severity.CRITICAL, reason));
    }
    if (fanFailed) {
      if (!fanAlarmRaised) {
        fanAlarmRaised = true;
        alarms.add(
            new SafetyAlarm(
                SafetyAlarm.FAN_FAILURE,
                Severity.CRITICAL,
                String.format(
                    Locale.ROOT,
                    "fan at %.0f rpm, below the minimum %.0f rpm, while drawing %.0f W",
                    slowestFan,
                    limits.minFanRpm(),
                    power.value())));
      }
      if (!cut && ceilingW > limits.minPowerTargetW()) {
        lower(now, limits.minPowerTargetW(), "fan failure");
        alarms.add(derate("fan failure: ceiling " + fmt(ceilingW) + " W"));
      }
      if (!cut && (fanFailedSamples >= FAN_CONFIRM_SAMPLES || hot)) {
        cut(now, "fan failure" + (hot ? " with " + worst.describe() : ", confirmed"));
        cutForFan = true;
        alarms.add(new SafetyAlarm(SafetyAlarm.THERMAL_CUT, Severity.CRITICAL, reason));
      }
    } else if (fansTurn) {
      fanAlarmRaised = false;
    }
    if (!cut && hot && due(now) && ceilingW > limits.minPowerTargetW()) {
      double from = trusted ? Math.min(ceilingW, power.value()) : ceilingW;
      lower(now, Math.max(limits.minPowerTargetW(), from - stepW), worst.describe());
      alarms.add(derate(worst.describe() + " above derate: ceiling " + fmt(ceilingW) + " W"));
    }
    double overW = trusted ? power.value() - limits.maxPowerW() : 0;
    if (!cut && overW > CommandExecutor.tolerance(limits.maxPowerW()) && due(now)) {
      lower(now, Math.max(limits.minPowerTargetW(), ceilingW - overW), "measured power over max");
      alarms.add(
          new SafetyAlarm(
              SafetyAlarm.OVER_POWER,
              Severity.WARNING,
              String.format(
                  Locale.ROOT,
                  "measured %.0f W above max %.0f W: ceiling %.0f W",
                  power.value(),
                  limits.maxPowerW(),
                  ceilingW)));
    }

    coolSince = cool && fansTurn && !fanFailed ? (coolSince == null ? now : coolSince) : null;
    if (cut
        && coolSince != null
        && !now.isBefore(cutAt.plusMillis(Math.round(limits.minOffS() * 1000)))) {
      cut = false;
      ceilingW = limits.minPowerTargetW();
      lastStepAt = now;
      reason = "recovering after a cut: ceiling " + fmt(ceilingW) + " W";
      alarms.add(
          new SafetyAlarm(
              SafetyAlarm.SAFETY_RECOVERED,
              Severity.INFO,
              "temperatures and fans normal again; restarting at " + fmt(ceilingW) + " W"));
    } else if (!cut
        && coolSince != null
        && ceilingW < limits.maxPowerW()
        && due(now)
        && !coolSince.plus(stepInterval).isAfter(now)) {
      ceilingW = Math.min(limits.maxPowerW(), ceilingW + stepW);
      lastStepAt = now;
      reason = ceilingW < limits.maxPowerW() ? "recovering: ceiling " + fmt(ceilingW) + " W" : "";
      if (ceilingW >= limits.maxPowerW()) {
        alarms.add(
            new SafetyAlarm(
                SafetyAlarm.SAFETY_RECOVERED, Severity.INFO, "back to the full power range"));
      }
    }
    return alarms;
  }

  private SafetyAlarm derate(String message) {
    return new SafetyAlarm(SafetyAlarm.THERMAL_DERATE, Severity.WARNING, message);
  }

  private boolean due(Instant now) {
    return lastStepAt == null || !now.isBefore(lastStepAt.plus(stepInterval));
  }

  private void lower(Instant now, double toW, String why) {
    if (toW < ceilingW) {
      ceilingW = toW;
      lastStepAt = now;
      reason = "safety: " + why + " (ceiling " + fmt(ceilingW) + " W)";
    }
  }

  private void cut(Instant now, String why) {
    cut = true;
    cutForFan = false;
    cutAt = now;
    ceilingW = limits.minPowerTargetW();
    reason = "safety cut: " + why;
  }

  private static double slowestFan(RigSnapshot s) {
    double min = Double.POSITIVE_INFINITY;
    for (Reading r : s.readings()) {
      if (r.name().equals(FANS_STOPPED)
          && r.quality() != Quality.BAD
          && Double.isFinite(r.value())
          && r.value() > 0) {
        return 0;
      }
      if (r.quality() != Quality.BAD
          && Double.isFinite(r.value())
          && FAN.matcher(r.name()).matches()) {
        min = Math.min(min, r.value());
      }
    }
    return min;
  }

  private record Hottest(String what, double celsius, TemperatureLimit limit) {
    String describe() {
      return String.format(Locale.ROOT, "%s temperature %.1f C", what, celsius);
    }

    /** How far into its own range: 0 at derate, 1 at critical. */
    double severity() {
      return (celsius - limit.derateC()) / (limit.criticalC() - limit.derateC());
    }
  }

  private static Hottest hottest(RigSnapshot s, String name, TemperatureLimit limit, String what) {
    if (limit == null) {
      return null;
    }
    Hottest out = null;
    for (Reading r : s.readings()) {
      if (r.name().equals(name) && r.quality() != Quality.BAD && Double.isFinite(r.value())) {
        if (out == null || r.value() > out.celsius) {
          out = new Hottest(what, r.value(), limit);
        }
      }
    }
    return out;
  }

  private static Hottest worst(Hottest a, Hottest b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return a.severity() >= b.severity() ? a : b;
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.0f", v);
  }
}
