package io.flexrig.openadr.ven;

import io.flexrig.openadr.EventCancelled;
import io.flexrig.openadr.EventRef;
import io.flexrig.openadr.GridSignal;
import io.flexrig.openadr.ImportCapacityLimit;
import io.flexrig.openadr.PriceSignal;
import io.flexrig.openadr.ReduceLoad;
import io.flexrig.openadr.SetpointSchedule;
import io.flexrig.openadr.SignalStep;
import io.flexrig.openadr.SimpleLevels;
import io.flexrig.openadr.model.Event;
import io.flexrig.openadr.model.EventPayloadDescriptor;
import io.flexrig.openadr.model.Interval;
import io.flexrig.openadr.model.IntervalPeriod;
import io.flexrig.openadr.model.IsoDuration;
import io.flexrig.openadr.model.Program;
import io.flexrig.openadr.model.ValuesMap;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads an OpenADR event as grid signals, following the User Guide's timing rules (section 7.3):
 * interval periods override the event's default; a start of {@code 0001-01-01} means "when the VEN
 * received the event"; an interval without its own start follows the previous one; a payload with n
 * values splits its interval into n equal sub-intervals. Units and currency come from the payload
 * descriptors, the event's overriding the program's. Not applied: {@code randomizeStart} (the
 * controller staggers rigs itself) and {@code event.duration} looping.
 */
public final class EventInterpreter {
  private static final Logger log = LoggerFactory.getLogger(EventInterpreter.class);
  private static final int BEGINNING_OF_TIME = 1;

  private final SimpleLevels simpleLevels;

  public EventInterpreter(SimpleLevels simpleLevels) {
    this.simpleLevels = simpleLevels;
  }

  /** The reference a signal carries; {@code program} may be null when unknown. */
  public static EventRef ref(Event event, Program program) {
    return new EventRef(
        event.id(),
        event.programID(),
        program == null ? null : program.programName(),
        event.eventName(),
        event.priority() == null ? EventRef.NO_PRIORITY : event.priority(),
        event.modificationDateTime());
  }

  /**
   * True when the VTN cancelled the event by shrinking its window to nothing (User Guide 7.9: start
   * {@code 0001-01-01}, duration {@code PT0S}).
   */
  public static boolean isCancelled(Event event) {
    IntervalPeriod period = event.intervalPeriod();
    return period != null
        && period.duration() != null
        && IsoDuration.parse(period.duration()).isZero()
        && (period.start() == null || parseStart(period.start()).getYear() == BEGINNING_OF_TIME);
  }

  /** All signals of {@code event} as seen at {@code receivedAt}. */
  public List<GridSignal> interpret(Event event, Program program, Instant receivedAt) {
    EventRef ref = ref(event, program);
    if (isCancelled(event)) {
      return List.of(new EventCancelled(ref, EventCancelled.Reason.CANCELLED, receivedAt));
    }
    Map<String, EventPayloadDescriptor> descriptors = descriptors(event, program);
    List<GridSignal> signals = new ArrayList<>();
    List<SignalStep> setpoints = new ArrayList<>();
    List<SignalStep> prices = new ArrayList<>();
    for (TimedInterval timed : timeline(event, receivedAt)) {
      for (ValuesMap payload : timed.interval().payloads()) {
        EventPayloadDescriptor descriptor = descriptors.get(payload.type());
        switch (payload.type()) {
          case "SIMPLE" -> {
            for (SignalStep step : steps(timed, payload, 1)) {
              int level = (int) step.value();
              signals.add(
                  new ReduceLoad(
                      ref,
                      step.intervalId(),
                      step.start(),
                      step.duration(),
                      level,
                      simpleLevels.kwFor(level)));
            }
          }
          case "IMPORT_CAPACITY_LIMIT" -> {
            Double scale = powerScale(event, descriptor);
            if (scale != null) {
              for (SignalStep step : steps(timed, payload, scale)) {
                signals.add(
                    new ImportCapacityLimit(
                        ref, step.intervalId(), step.start(), step.duration(), step.value()));
              }
            }
          }
          case "DISPATCH_SETPOINT" -> {
            Double scale = powerScale(event, descriptor);
            if (scale != null) {
              setpoints.addAll(steps(timed, payload, scale));
            }
          }
          case "PRICE" -> {
            Double scale = priceScale(event, descriptor);
            if (scale != null) {
              prices.addAll(steps(timed, payload, scale));
            }
          }
          default -> log.debug("event {}: payload type {} ignored", event.id(), payload.type());
        }
      }
    }
    if (!setpoints.isEmpty()) {
      signals.add(new SetpointSchedule(ref, setpoints));
    }
    if (!prices.isEmpty()) {
      String currency =
          descriptors.containsKey("PRICE") ? descriptors.get("PRICE").currency() : null;
      signals.add(new PriceSignal(ref, currency == null ? "USD" : currency, prices));
    }
    return List.copyOf(signals);
  }

  /** An event interval placed in absolute time. */
  record TimedInterval(Interval interval, Instant start, Duration duration) {}

  /** The intervals of {@code event} with their absolute windows, in list order. */
  static List<TimedInterval> timeline(Event event, Instant receivedAt) {
    IntervalPeriod defaults = event.intervalPeriod();
    Instant eventStart = start(defaults == null ? null : defaults.start(), receivedAt);
    String defaultDuration = defaults == null ? null : defaults.duration();
    List<TimedInterval> timeline = new ArrayList<>();
    Instant previousEnd = null;
    for (Interval interval : event.intervals() == null ? List.<Interval>of() : event.intervals()) {
      IntervalPeriod own = interval.intervalPeriod();
      String ownStart = own == null ? null : own.start();
      Instant start;
      if (ownStart != null && parseStart(ownStart).getYear() != BEGINNING_OF_TIME) {
        start = parseStart(ownStart).toInstant();
      } else {
        start = previousEnd == null ? eventStart : previousEnd;
      }
      String duration = own != null && own.duration() != null ? own.duration() : defaultDuration;
      // The spec's default duration is PT0S.
      Duration length = IsoDuration.parse(duration == null ? "PT0S" : duration).lengthFrom(start);
      timeline.add(new TimedInterval(interval, start, length));
      previousEnd = start.plus(length);
    }
    return timeline;
  }

  private static List<SignalStep> steps(TimedInterval timed, ValuesMap payload, double scale) {
    List<Object> values = payload.values() == null ? List.of() : payload.values();
    List<SignalStep> steps = new ArrayList<>();
    Duration each = values.isEmpty() ? timed.duration() : timed.duration().dividedBy(values.size());
    int id = timed.interval().id() == null ? 0 : timed.interval().id();
    for (int i = 0; i < values.size(); i++) {
      if (values.get(i) instanceof Number number) {
        steps.add(
            new SignalStep(
                id, timed.start().plus(each.multipliedBy(i)), each, number.doubleValue() * scale));
      } else {
        log.warn("interval {}: {} value {} is not a number", id, payload.type(), values.get(i));
      }
    }
    return steps;
  }

  private static Map<String, EventPayloadDescriptor> descriptors(Event event, Program program) {
    Map<String, EventPayloadDescriptor> byType = new HashMap<>();
    if (program != null && program.payloadDescriptors() != null) {
      for (EventPayloadDescriptor d : program.payloadDescriptors()) {
        if (d.payloadType() != null && !"REPORT_PAYLOAD_DESCRIPTOR".equals(d.objectType())) {
          byType.put(d.payloadType(), d);
        }
      }
    }
    if (event.payloadDescriptors() != null) {
      for (EventPayloadDescriptor d : event.payloadDescriptors()) {
        byType.put(d.payloadType(), d);
      }
    }
    return byType;
  }

  /** Factor to kW, or null for units that are not power (then the payload is skipped). */
  private static Double powerScale(Event event, EventPayloadDescriptor descriptor) {
    String units = descriptor == null ? null : descriptor.units();
    return switch (units == null ? "KW" : units) {
      case "KW" -> 1.0;
      case "W" -> 0.001;
      case "MW" -> 1000.0;
      default -> {
        log.warn("event {}: power in unsupported units {} skipped", event.id(), units);
        yield null;
      }
    };
  }

  /** Factor to currency per kWh, or null for prices not per unit of energy. */
  private static Double priceScale(Event event, EventPayloadDescriptor descriptor) {
    String units = descriptor == null ? null : descriptor.units();
    return switch (units == null ? "KWH" : units) {
      case "KWH" -> 1.0;
      case "MWH" -> 0.001;
      default -> {
        log.warn("event {}: price per unsupported units {} skipped", event.id(), units);
        yield null;
      }
    };
  }

  private static Instant start(String text, Instant receivedAt) {
    if (text == null) {
      return receivedAt;
    }
    OffsetDateTime start = parseStart(text);
    return start.getYear() == BEGINNING_OF_TIME ? receivedAt : start.toInstant();
  }

  /** RFC 3339, tolerating the zone-less and date-only forms the User Guide uses for "now". */
  static OffsetDateTime parseStart(String text) {
    try {
      return OffsetDateTime.parse(text);
    } catch (DateTimeParseException notOffset) {
      try {
        return LocalDateTime.parse(text).atOffset(ZoneOffset.UTC);
      } catch (DateTimeParseException notLocal) {
        return LocalDate.parse(text).atStartOfDay().atOffset(ZoneOffset.UTC);
      }
    }
  }
}
