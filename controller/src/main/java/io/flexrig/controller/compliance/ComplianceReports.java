package io.flexrig.controller.compliance;

import io.flexrig.controller.compliance.ComplianceReport.Interval;
import io.flexrig.controller.compliance.ComplianceReport.RigShare;
import io.flexrig.controller.events.CurtailmentEvent;
import io.flexrig.controller.events.EventJournal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds compliance reports from stored telemetry: the pre-event average, the middle-8-of-10
 * like-days baseline, the measured load per quarter hour and each rig's contribution. A report of
 * an ended event is stored the first time it is asked for and read back from then on, so it
 * survives telemetry retention.
 */
public final class ComplianceReports {

  /** Window of the pre-event average. */
  public static final Duration PRE_EVENT_WINDOW = Duration.ofHours(1);

  /** How far back like days are looked for. */
  static final int LOOKBACK_DAYS = 45;

  private final LoadHistory history;
  private final EventJournal events;
  private final Clock clock;
  private final ZoneId zone;

  /**
   * @param zone the site's time zone: it decides which days are like days and where they start
   */
  public ComplianceReports(LoadHistory history, EventJournal events, Clock clock, ZoneId zone) {
    this.history = history;
    this.events = events;
    this.clock = clock;
    this.zone = zone;
  }

  /** The report of {@code event}: the stored one when final, else computed now (and stored). */
  public ComplianceReport report(CurtailmentEvent event) {
    Optional<ComplianceReport> stored = history.storedReport(event.eventId());
    if (stored.isPresent()) {
      return stored.get();
    }
    ComplianceReport report = compute(event);
    if (report.isFinal()) {
      history.saveReport(report);
    }
    return report;
  }

  ComplianceReport compute(CurtailmentEvent event) {
    Instant now = clock.instant();
    Instant start = event.startAt();
    Instant end = event.endedAt().orElse(event.endAt());
    if (end.isAfter(now)) {
      end = now; // provisional: measured so far
    }
    boolean isFinal = event.state().finished();
    Map<String, Double> before =
        history.rigAverageW(event.siteId(), start.minus(PRE_EVENT_WINDOW), start);
    double preEventKw =
        before.isEmpty()
            ? event.baselineKw().orElse(Double.NaN)
            : before.values().stream().mapToDouble(Double::doubleValue).sum() / 1000;
    List<Instant> slots = quarterHours(start, end);
    double baselineForTarget = event.baselineKw().orElse(preEventKw);

    Map<Instant, Double> measured =
        end.isAfter(start) ? history.siteLoadByQuarterHour(event.siteId(), start, end) : Map.of();
    LikeDayBaseline.Result likeDays = likeDays(event, slots);

    List<Interval> intervals = new ArrayList<>();
    for (int i = 0; i < slots.size(); i++) {
      Instant slot = slots.get(i);
      Instant slotEnd = slot.plusMillis(LoadHistory.QUARTER_HOUR_MS);
      Instant from = slot.isBefore(start) ? start : slot;
      Instant to = slotEnd.isAfter(end) ? end : slotEnd;
      Double w = measured.get(slot);
      intervals.add(
          new Interval(
              slot,
              slotEnd,
              Duration.between(from, to).toMillis() / 1000.0,
              preEventKw,
              likeDays.intervalKw()[i],
              w == null ? Double.NaN : w / 1000,
              event.target().targetKw(baselineForTarget, from)));
    }

    Map<String, Double> during =
        end.isAfter(start) ? history.rigAverageW(event.siteId(), start, end) : Map.of();
    Set<String> rigIds = new TreeSet<>(before.keySet());
    rigIds.addAll(during.keySet());
    List<RigShare> rigs = new ArrayList<>();
    for (String rigId : rigIds) {
      rigs.add(
          new RigShare(
              rigId,
              before.getOrDefault(rigId, 0.0) / 1000,
              during.getOrDefault(rigId, 0.0) / 1000));
    }
    rigs.sort(
        Comparator.comparingDouble(RigShare::shedKw).reversed().thenComparing(RigShare::rigId));
    return new ComplianceReport(
        event, isFinal, preEventKw, likeDays.daysFound(), intervals, rigs, now);
  }

  private LikeDayBaseline.Result likeDays(CurtailmentEvent event, List<Instant> slots) {
    if (slots.isEmpty()) {
      return LikeDayBaseline.compute(0, List.of());
    }
    LocalDate eventDay = slots.getFirst().atZone(zone).toLocalDate();
    Set<LocalDate> eventDays = new HashSet<>();
    for (CurtailmentEvent other : events.list(event.siteId(), 1000)) {
      // A day with a started event is no like day: its load was curtailed.
      if (!other.eventId().equals(event.eventId()) && other.baselineKw().isPresent()) {
        eventDays.add(other.startAt().atZone(zone).toLocalDate());
      }
    }
    // One read of the event's window on every candidate day of the look-back (whole days would
    // read 24 h of rollups per day for a window of an hour or two).
    List<Integer> candidates = new ArrayList<>();
    List<LoadHistory.Window> windows = new ArrayList<>();
    for (int back = 1; back <= LOOKBACK_DAYS; back++) {
      LocalDate day = eventDay.minusDays(back);
      if (LikeDayBaseline.likeDay(eventDay, day) && !eventDays.contains(day)) {
        candidates.add(back);
        windows.add(
            new LoadHistory.Window(
                slots.getFirst().atZone(zone).minusDays(back).toInstant(),
                slots
                    .getLast()
                    .plusMillis(LoadHistory.QUARTER_HOUR_MS)
                    .atZone(zone)
                    .minusDays(back)
                    .toInstant()));
      }
    }
    Map<Instant, Double> load = history.siteLoadByQuarterHour(event.siteId(), windows);
    List<LikeDayBaseline.DayLoad> days = new ArrayList<>();
    for (int back : candidates) {
      if (days.size() == LikeDayBaseline.DAYS) {
        break;
      }
      LocalDate day = eventDay.minusDays(back);
      double[] kw = new double[slots.size()];
      boolean any = false;
      for (int i = 0; i < kw.length; i++) {
        Double w = load.get(slots.get(i).atZone(zone).minusDays(back).toInstant());
        kw[i] = w == null ? Double.NaN : w / 1000;
        any |= w != null;
      }
      if (any) {
        days.add(new LikeDayBaseline.DayLoad(day, kw));
      }
    }
    return LikeDayBaseline.compute(slots.size(), days);
  }

  /** The quarter hours (UTC-aligned) that overlap [start, end); at least the first one. */
  static List<Instant> quarterHours(Instant start, Instant end) {
    long q = LoadHistory.QUARTER_HOUR_MS;
    long first = Math.floorDiv(start.toEpochMilli(), q) * q;
    List<Instant> out = new ArrayList<>();
    for (long t = first; t < end.toEpochMilli() || t == first; t += q) {
      out.add(Instant.ofEpochMilli(t));
    }
    return out;
  }
}
