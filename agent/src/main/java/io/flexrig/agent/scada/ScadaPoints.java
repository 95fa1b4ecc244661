package io.flexrig.agent.scada;

import io.flexrig.agent.sampler.Measurement;
import io.flexrig.agent.scada.ScadaPoint.Type;
import io.flexrig.agent.scada.ScadaPoint.Unit;
import io.flexrig.agent.source.Quality;
import io.flexrig.agent.source.Reading;
import io.flexrig.agent.status.RigStatus;
import io.flexrig.core.profile.Limits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rig's address space as plain values: which variable holds which figure of a {@link
 * RigStatus}, with its unit and quality. The OPC UA server only mirrors these points; keeping the
 * mapping here keeps it testable without a server. Per-chain temperatures and per-fan speeds appear
 * as the miner reports them.
 */
public final class ScadaPoints {
  public static final String IDENTITY = "Identity";
  public static final String POWER = "Power";
  public static final String TEMPERATURES = "Temperatures";
  public static final String FANS = "Fans";
  public static final String HASHRATE = "Hashrate";
  public static final String WORKLOAD = "Workload";
  public static final String CURTAILMENT = "Curtailment";
  public static final String SAFETY = "Safety";
  public static final String LINK = "Link";

  /** The folders under the rig's object, in browse order. */
  public static final List<String> FOLDERS =
      List.of(IDENTITY, POWER, TEMPERATURES, FANS, HASHRATE, WORKLOAD, CURTAILMENT, SAFETY, LINK);

  private static final Pattern CHAIN_TEMP = Pattern.compile("miner\\.chain(\\d+)\\.chip_temp_max");
  private static final Pattern FAN = Pattern.compile("miner\\.fan(\\d+)");

  private ScadaPoints() {}

  /** Every point of the status, fixed ones first, then the per-chain and per-fan ones. */
  public static List<ScadaPoint> of(RigStatus s) {
    List<ScadaPoint> out = new ArrayList<>(64);
    RigStatus.Identity id = s.identity();
    text(out, IDENTITY, "RigId", id.rigId());
    text(out, IDENTITY, "SiteId", id.siteId());
    text(out, IDENTITY, "Profile", id.profileId());
    text(out, IDENTITY, "Vendor", id.vendor());
    text(out, IDENTITY, "Model", id.model());
    text(out, IDENTITY, "AgentVersion", id.agentVersion());
    time(out, IDENTITY, "StartedAt", id.startedAt());

    measured(out, POWER, "InputPowerW", s.snapshot().powerW(), Unit.WATT);
    text(out, POWER, "InputPowerSource", s.snapshot().powerW().source());
    number(out, POWER, "PowerTargetW", s.powerTargetW(), Unit.WATT);

    reading(out, TEMPERATURES, "ChipMaxC", s, Unit.CELSIUS, "miner.chip_temp_max");
    reading(out, TEMPERATURES, "BoardMaxC", s, Unit.CELSIUS, "miner.pcb_temp_max");
    reading(out, TEMPERATURES, "InletC", s, Unit.CELSIUS, "inlet_temp", "miner.inlet_temp");

    measured(out, HASHRATE, "HashrateThs", s.snapshot().hashrateThs(), Unit.TERAHASH_PER_SECOND);
    reading(out, HASHRATE, "AverageThs", s, Unit.TERAHASH_PER_SECOND, "miner.hashrate_av");

    text(out, WORKLOAD, "State", s.workloadState());

    RigStatus.Curtailment c = s.curtailment();
    text(out, CURTAILMENT, "Mode", c.mode());
    flag(out, CURTAILMENT, "Active", c.active());
    text(out, CURTAILMENT, "CommandId", c.commandId());
    // no command held: no setpoint, which a SCADA sees as Bad_NoData rather than a number
    out.add(
        new ScadaPoint(
            CURTAILMENT,
            "SetpointW",
            c.setpointW(),
            Type.DOUBLE,
            Double.isNaN(c.setpointW()) ? Quality.BAD : Quality.GOOD,
            Unit.WATT));
    time(out, CURTAILMENT, "Deadline", c.deadline());
    time(out, CURTAILMENT, "ExpiresAt", c.expiresAt());
    flag(out, CURTAILMENT, "Clamped", c.clamped());

    RigStatus.Safety safety = s.safety();
    Limits l = safety.limits();
    number(out, SAFETY, "MaxPowerW", l.maxPowerW(), Unit.WATT);
    number(out, SAFETY, "CeilingW", safety.ceilingW(), Unit.WATT);
    number(out, SAFETY, "ChipDerateC", l.chipTempC().derateC(), Unit.CELSIUS);
    number(out, SAFETY, "ChipCriticalC", l.chipTempC().criticalC(), Unit.CELSIUS);
    number(out, SAFETY, "BoardDerateC", l.boardTempC().derateC(), Unit.CELSIUS);
    number(out, SAFETY, "BoardCriticalC", l.boardTempC().criticalC(), Unit.CELSIUS);
    number(out, SAFETY, "InletDerateC", l.inletTempC().derateC(), Unit.CELSIUS);
    number(out, SAFETY, "InletCriticalC", l.inletTempC().criticalC(), Unit.CELSIUS);
    number(out, SAFETY, "MinFanRpm", l.minFanRpm(), Unit.RPM);
    flag(out, SAFETY, "Cut", safety.cut());
    text(out, SAFETY, "Reason", safety.reason());
    text(out, SAFETY, "LastAlarm", safety.lastAlarm());
    time(out, SAFETY, "LastAlarmAt", safety.lastAlarmAt());

    RigStatus.Link link = s.link();
    text(out, LINK, "Controller", link.controller());
    flag(out, LINK, "ControllerConnected", link.connected());
    out.add(
        new ScadaPoint(
            LINK, "OutboxDepth", link.outboxDepth(), Type.INT32, Quality.GOOD, Unit.NONE));

    for (Reading r : s.snapshot().readings()) {
      Matcher chain = CHAIN_TEMP.matcher(r.name());
      if (chain.matches()) {
        out.add(of(TEMPERATURES, "Chain" + chain.group(1) + "ChipMaxC", r, Unit.CELSIUS));
        continue;
      }
      Matcher fan = FAN.matcher(r.name());
      if (fan.matches()) {
        out.add(of(FANS, "Fan" + fan.group(1) + "Rpm", r, Unit.RPM));
      }
    }
    return out;
  }

  private static ScadaPoint of(String folder, String name, Reading r, Unit unit) {
    return new ScadaPoint(folder, name, r.value(), Type.DOUBLE, r.quality(), unit);
  }

  private static void reading(
      List<ScadaPoint> out, String folder, String name, RigStatus s, Unit unit, String... names) {
    for (String wanted : names) {
      for (Reading r : s.snapshot().readings()) {
        if (r.name().equals(wanted)) {
          out.add(of(folder, name, r, unit));
          return;
        }
      }
    }
    // not reported (yet): the variable exists, its value says there is none
    out.add(new ScadaPoint(folder, name, Double.NaN, Type.DOUBLE, Quality.BAD, unit));
  }

  private static void measured(
      List<ScadaPoint> out, String folder, String name, Measurement m, Unit unit) {
    out.add(new ScadaPoint(folder, name, m.value(), Type.DOUBLE, m.quality(), unit));
  }

  private static void number(
      List<ScadaPoint> out, String folder, String name, double value, Unit unit) {
    out.add(new ScadaPoint(folder, name, value, Type.DOUBLE, Quality.GOOD, unit));
  }

  private static void text(List<ScadaPoint> out, String folder, String name, String value) {
    out.add(
        new ScadaPoint(
            folder, name, value == null ? "" : value, Type.STRING, Quality.GOOD, Unit.NONE));
  }

  private static void flag(List<ScadaPoint> out, String folder, String name, boolean value) {
    out.add(new ScadaPoint(folder, name, value, Type.BOOLEAN, Quality.GOOD, Unit.NONE));
  }

  private static void time(List<ScadaPoint> out, String folder, String name, Instant value) {
    out.add(new ScadaPoint(folder, name, value, Type.DATE_TIME, Quality.GOOD, Unit.NONE));
  }
}
