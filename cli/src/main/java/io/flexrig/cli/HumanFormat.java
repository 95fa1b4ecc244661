package io.flexrig.cli;

import com.google.protobuf.Timestamp;
import io.flexrig.proto.v1.BaselineMethod;
import io.flexrig.proto.v1.ComplianceInterval;
import io.flexrig.proto.v1.ComplianceReport;
import io.flexrig.proto.v1.CurtailmentEvent;
import io.flexrig.proto.v1.EventState;
import io.flexrig.proto.v1.EventStatus;
import io.flexrig.proto.v1.FleetReturn;
import io.flexrig.proto.v1.PriceCurtailedRig;
import io.flexrig.proto.v1.PriceDispatchStatus;
import io.flexrig.proto.v1.RigContribution;
import io.flexrig.proto.v1.RigModelStrike;
import io.flexrig.proto.v1.SetpointKind;
import io.flexrig.proto.v1.SetpointSchedule;
import io.flexrig.proto.v1.SetpointStep;
import io.flexrig.proto.v1.SiteStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * What an operator reads: times in UTC ISO-8601 with the distance from now, power in kW with one
 * decimal, yes/no for flags, {@code -} for what is not there.
 */
final class HumanFormat {

  static final String NONE = "-";

  private final Clock clock;

  HumanFormat(Clock clock) {
    this.clock = clock;
  }

  static String kw(double kw) {
    return String.format(Locale.ROOT, "%.1f kW", kw);
  }

  static String yesNo(boolean b) {
    return b ? "yes" : "no";
  }

  /** {@code 2026-11-25T14:00:00Z}, to the second. */
  static String utc(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  static Instant instant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  /** {@code in 5m}, {@code 3m10s ago}, {@code now} (within a second). */
  String relative(Instant t) {
    Duration d = Duration.between(clock.instant(), t);
    if (d.abs().compareTo(Duration.ofSeconds(1)) < 0) {
      return "now";
    }
    return d.isNegative() ? HumanDuration.format(d) + " ago" : "in " + HumanDuration.format(d);
  }

  /** {@code 2026-11-25T14:00:00Z (in 5m)}. */
  String when(Instant t) {
    return utc(t) + " (" + relative(t) + ")";
  }

  /** A time, or {@code -} when the field is unset. */
  String when(boolean set, Timestamp t) {
    return set ? when(instant(t)) : NONE;
  }

  static String state(EventState s) {
    return switch (s) {
      case EVENT_STATE_SCHEDULED -> "scheduled";
      case EVENT_STATE_ACTIVE -> "active";
      case EVENT_STATE_COMPLETED -> "completed";
      case EVENT_STATE_CANCELLED -> "cancelled";
      case EVENT_STATE_UNSPECIFIED, UNRECOGNIZED -> "unknown";
    };
  }

  /** {@code reduce by 5.0 kW} or {@code cap at 8.0 kW}. */
  static String target(CurtailmentEvent e) {
    return switch (e.getTargetCase()) {
      case REDUCE_BY_KW -> "reduce by " + kw(e.getReduceByKw());
      case CAP_SITE_KW -> "cap at " + kw(e.getCapSiteKw());
      case SETPOINT_SCHEDULE -> schedule(e.getSetpointSchedule());
      case TARGET_NOT_SET -> NONE;
    };
  }

  /** {@code cap 8.0 kW from 14:00:00Z, 7.0 kW from 14:15:00Z}. */
  static String schedule(SetpointSchedule s) {
    StringBuilder b =
        new StringBuilder(s.getKind() == SetpointKind.SETPOINT_KIND_REDUCE ? "reduce by " : "cap ");
    for (int i = 0; i < s.getStepsCount(); i++) {
      SetpointStep step = s.getSteps(i);
      b.append(i == 0 ? "" : ", ")
          .append(kw(step.getKw()))
          .append(" from ")
          .append(utc(instant(step.getStartAt())));
    }
    return b.toString();
  }

  /** Summary fields, then one table row per quarter hour and one per rig. */
  String complianceReport(ComplianceReport r) {
    String baseline =
        r.getDeltaBaseline() == BaselineMethod.BASELINE_METHOD_MIDDLE_8_OF_10_DAYS
            ? "middle 8 of " + r.getLikeDaysUsed() + " like days"
            : "pre-event average";
    StringBuilder out = new StringBuilder();
    out.append(
        eventFields(r.getEvent())
            .add("report", r.getFinal() ? "final" : "provisional (event not ended)")
            .add("pre-event avg", kw(r.getPreEventBaselineKw()))
            .add(
                "like-days base",
                r.getLikeDaysUsed() == 0
                    ? NONE
                    : kw(r.getLikeDaysBaselineKw()) + " (" + r.getLikeDaysUsed() + " days)")
            .add("measured avg", kw(r.getMeasuredKw()))
            .add("delta avg", kw(r.getDeltaKw()) + " vs " + baseline)
            .add("target avg", kw(r.getTargetKw()))
            .add("target met", yesNo(r.getTargetMet()))
            .add(
                "deadline met",
                yesNo(r.getDeadlineMet())
                    + (r.hasTargetMetAt()
                        ? ", target first met " + when(true, r.getTargetMetAt())
                        : ""))
            .render());
    Table intervals =
        new Table("INTERVAL", "PRE-EVENT", "LIKE-DAYS", "MEASURED", "TARGET", "DELTA", "AT TARGET");
    for (ComplianceInterval i : r.getIntervalsList()) {
      intervals.row(
          utc(instant(i.getStartAt())),
          kw(i.getPreEventBaselineKw()),
          r.getLikeDaysUsed() == 0 ? NONE : kw(i.getLikeDaysBaselineKw()),
          kw(i.getMeasuredKw()),
          kw(i.getTargetKw()),
          kw(i.getDeltaKw()),
          yesNo(i.getAtTarget()));
    }
    out.append('\n').append(intervals.render());
    Table rigs = new Table("RIG", "BEFORE", "DURING", "SHED", "SHARE");
    for (RigContribution c : r.getRigsList()) {
      rigs.row(
          c.getRigId(),
          kw(c.getBeforeKw()),
          kw(c.getDuringKw()),
          kw(c.getShedKw()),
          String.format(Locale.ROOT, "%.1f %%", c.getShare() * 100));
    }
    out.append('\n').append(rigs.render());
    return out.toString();
  }

  private static String orNone(String s) {
    return s.isEmpty() ? NONE : s;
  }

  String siteStatus(SiteStatus s) {
    return new Fields()
        .add("site", s.getSiteId())
        .add("measured", kw(s.getMeasuredKw()))
        .add("nameplate", kw(s.getNameplateKw()))
        .add("rigs connected", s.getRigsConnected() + " of " + s.getRigsKnown() + " known")
        .add("rigs curtailed", Integer.toString(s.getRigsCurtailed()))
        .add("active event", orNone(s.getActiveEventId()))
        .add("observed", when(s.hasObservedAt(), s.getObservedAt()))
        .render();
  }

  String priceStatus(PriceDispatchStatus s) {
    if (!s.getEnabled()) {
      return "price-driven dispatch is off (no price source configured on the controller)\n";
    }
    StringBuilder out =
        new StringBuilder(
            new Fields()
                .add(
                    "price",
                    s.getPriceKnown()
                        ? String.format(Locale.ROOT, "%.4f USD/kWh", s.getUsdPerKwh())
                        : "none in force")
                .add("source", orNone(s.getSource()))
                .add("evaluated", when(s.hasEvaluatedAt(), s.getEvaluatedAt()))
                .add("problem", orNone(s.getProblem()))
                .add("rigs curtailed", Integer.toString(s.getCurtailedCount()))
                .render());
    Table strikes = new Table("MODEL", "REDUCE ABOVE", "BREAK-EVEN", "SLEEP ABOVE");
    for (RigModelStrike k : s.getStrikesList()) {
      strikes.row(
          k.getHardwareProfileId(),
          k.getReduces() ? usdPerKwh(k.getReduceAboveUsdPerKwh()) : NONE,
          usdPerKwh(k.getBreakEvenUsdPerKwh()),
          usdPerKwh(k.getSleepAboveUsdPerKwh()));
    }
    out.append('\n').append(strikes.render());
    if (s.getCurtailedCount() > 0) {
      Table rigs = new Table("SITE", "RIG", "MODEL", "SETPOINT", "SINCE");
      for (PriceCurtailedRig r : s.getCurtailedList()) {
        rigs.row(
            r.getSiteId(),
            r.getRigId(),
            r.getHardwareProfileId(),
            r.getAsleep() ? "sleep" : String.format(Locale.ROOT, "%.0f W", r.getPowerW()),
            when(r.hasSince(), r.getSince()));
      }
      out.append('\n').append(rigs.render());
    }
    return out.toString();
  }

  private static String usdPerKwh(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }

  String event(CurtailmentEvent e) {
    return eventFields(e).render();
  }

  private Fields eventFields(CurtailmentEvent e) {
    return new Fields()
        .add("event", e.getEventId())
        .add("site", e.getSiteId())
        .add("state", state(e.getState()))
        .add("target", target(e))
        .add("start", when(e.hasStartAt(), e.getStartAt()))
        .add("deadline", when(e.hasDeadline(), e.getDeadline()))
        .add("end", when(e.hasEndAt(), e.getEndAt()))
        .add("program", orNone(e.getProgram()))
        .add("request id", orNone(e.getRequestId()))
        .add("created", when(e.hasCreatedAt(), e.getCreatedAt()));
  }

  String eventStatus(EventStatus s) {
    return eventFields(s.getEvent())
        .add("baseline", kw(s.getBaselineKw()))
        .add("target load", "at most " + kw(s.getTargetKw()))
        .add("measured", kw(s.getMeasuredKw()))
        .add(
            "target met",
            yesNo(s.getTargetMet())
                + (s.hasTargetMetAt() ? ", first at " + when(true, s.getTargetMetAt()) : ""))
        .add("deadline met", yesNo(s.getDeadlineMet()))
        .add("rigs curtailed", Integer.toString(s.getRigsCurtailed()))
        .add("awaiting rigs", awaitingFleet(s))
        .add("observed", when(s.hasObservedAt(), s.getObservedAt()))
        .render();
  }

  /**
   * {@code 1 of 3 back, starts by 2026-11-25T14:00:30Z (in 28s)} while a due event waits for its
   * site's rigs after a controller restart, {@code -} otherwise.
   */
  private String awaitingFleet(EventStatus s) {
    if (!s.hasAwaitingFleet()) {
      return NONE;
    }
    FleetReturn f = s.getAwaitingFleet();
    return f.getRigsBack()
        + " of "
        + f.getRigsAwaited()
        + " back, starts by "
        + when(f.hasStartBy(), f.getStartBy());
  }

  String eventList(List<CurtailmentEvent> events) {
    if (events.isEmpty()) {
      return "no events\n";
    }
    Table t = new Table("EVENT", "STATE", "TARGET", "START", "END", "PROGRAM");
    for (CurtailmentEvent e : events) {
      t.row(
          e.getEventId(),
          state(e.getState()),
          target(e),
          when(e.hasStartAt(), e.getStartAt()),
          when(e.hasEndAt(), e.getEndAt()),
          orNone(e.getProgram()));
    }
    return t.render();
  }

  /** The header above {@link #watchLine} lines, aligned with them. */
  static String watchHeader() {
    return String.format(
        Locale.ROOT,
        "%-20s  %-9s  %11s  %11s  %4s  %-10s  %s%n",
        "OBSERVED",
        "STATE",
        "MEASURED",
        "TARGET",
        "RIGS",
        "TARGET MET",
        "DEADLINE MET");
  }

  /** One status of a watched event on one line, in fixed columns (lines arrive one by one). */
  static String watchLine(EventStatus s) {
    // A due event waiting for its rigs after a controller restart says so after the columns.
    String waiting =
        s.hasAwaitingFleet()
            ? String.format(
                Locale.ROOT,
                "  awaiting rigs: %d of %d back, starts by %s",
                s.getAwaitingFleet().getRigsBack(),
                s.getAwaitingFleet().getRigsAwaited(),
                s.getAwaitingFleet().hasStartBy()
                    ? utc(instant(s.getAwaitingFleet().getStartBy()))
                    : NONE)
            : "";
    return String.format(
                Locale.ROOT,
                "%-20s  %-9s  %11s  %11s  %4d  %-10s  %-12s%s",
                s.hasObservedAt() ? utc(instant(s.getObservedAt())) : NONE,
                state(s.getEvent().getState()),
                kw(s.getMeasuredKw()),
                kw(s.getTargetKw()),
                s.getRigsCurtailed(),
                yesNo(s.getTargetMet()),
                yesNo(s.getDeadlineMet()),
                waiting)
            .stripTrailing()
        + System.lineSeparator();
  }

  /** Label/value lines with the values aligned. */
  static final class Fields {
    private final Table table = new Table("", "");

    Fields add(String label, String value) {
      table.row(label, value);
      return this;
    }

    String render() {
      String all = table.render();
      return all.substring(all.indexOf('\n') + 1); // no header line
    }
  }
}
