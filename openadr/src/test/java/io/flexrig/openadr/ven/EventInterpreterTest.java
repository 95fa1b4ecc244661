package io.flexrig.openadr.ven;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexrig.openadr.EventCancelled;
import io.flexrig.openadr.GridSignal;
import io.flexrig.openadr.ImportCapacityLimit;
import io.flexrig.openadr.PriceSignal;
import io.flexrig.openadr.ReduceLoad;
import io.flexrig.openadr.SetpointSchedule;
import io.flexrig.openadr.SignalStep;
import io.flexrig.openadr.SimpleLevels;
import io.flexrig.openadr.model.Event;
import io.flexrig.openadr.model.OpenAdrJson;
import io.flexrig.openadr.model.Program;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Events as a VTN sends them (shapes from the User Guide's examples) read as grid signals. */
class EventInterpreterTest {
  private static final Instant RECEIVED = Instant.parse("2026-07-01T18:07:00Z");
  private static final Program PROGRAM =
      new Program("program-1", null, null, "PROGRAM", "ercot-dr", null, null, null);
  private final EventInterpreter interpreter =
      new EventInterpreter(new SimpleLevels(100, 250, 500));

  @Test
  void simpleLevelBecomesReduceLoadOfTheConfiguredKw() {
    List<GridSignal> signals =
        read(
            """
            {"id":"event-7","programID":"program-1","priority":1,"modificationDateTime":"2026-07-01T18:00:00Z",
             "intervalPeriod":{"start":"2026-07-01T19:00:00Z","duration":"PT1H"},
             "intervals":[{"id":0,"payloads":[{"type":"SIMPLE","values":[2]}]}]}
            """);

    assertThat(signals).singleElement().isInstanceOf(ReduceLoad.class);
    ReduceLoad reduce = (ReduceLoad) signals.getFirst();
    assertThat(reduce.level()).isEqualTo(2);
    assertThat(reduce.kw()).isEqualTo(250);
    assertThat(reduce.start()).isEqualTo(Instant.parse("2026-07-01T19:00:00Z"));
    assertThat(reduce.duration()).isEqualTo(Duration.ofHours(1));
    assertThat(reduce.eventId()).isEqualTo("event-7");
    assertThat(reduce.event().programName()).isEqualTo("ercot-dr");
    assertThat(reduce.event().priority()).isEqualTo(1);
  }

  @Test
  void doItNowEventStartsWhenReceivedAndRunsUntilFurtherNotice() {
    List<GridSignal> signals =
        read(
            """
            {"id":"e","programID":"program-1",
             "intervalPeriod":{"start":"0001-01-01","duration":"P9999Y"},
             "intervals":[{"id":0,"payloads":[{"type":"SIMPLE","values":[3]}]}]}
            """);

    ReduceLoad reduce = (ReduceLoad) signals.getFirst();
    assertThat(reduce.start()).isEqualTo(RECEIVED);
    assertThat(reduce.kw()).isEqualTo(500);
    assertThat(reduce.duration()).isGreaterThan(Duration.ofDays(365 * 1000));
  }

  @Test
  void intervalsWithoutStartFollowThePreviousAndMayOverrideTheDuration() {
    List<GridSignal> signals =
        read(
            """
            {"id":"e","programID":"program-1",
             "payloadDescriptors":[{"objectType":"EVENT_PAYLOAD_DESCRIPTOR","payloadType":"DISPATCH_SETPOINT","units":"KW"}],
             "intervalPeriod":{"start":"2026-07-01T19:00:00Z","duration":"PT15M"},
             "intervals":[
               {"id":0,"payloads":[{"type":"DISPATCH_SETPOINT","values":[1200.5]}]},
               {"id":1,"intervalPeriod":{"duration":"PT30M"},"payloads":[{"type":"DISPATCH_SETPOINT","values":[800]}]},
               {"id":2,"payloads":[{"type":"DISPATCH_SETPOINT","values":[1500]}]}]}
            """);

    SetpointSchedule schedule = (SetpointSchedule) signals.getFirst();
    assertThat(schedule.steps())
        .containsExactly(
            new SignalStep(
                0, Instant.parse("2026-07-01T19:00:00Z"), Duration.ofMinutes(15), 1200.5),
            new SignalStep(1, Instant.parse("2026-07-01T19:15:00Z"), Duration.ofMinutes(30), 800),
            new SignalStep(2, Instant.parse("2026-07-01T19:45:00Z"), Duration.ofMinutes(15), 1500));
    assertThat(schedule.duration()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void multiValuedPriceSplitsItsIntervalAndPerMwhBecomesPerKwh() {
    List<GridSignal> signals =
        read(
            """
            {"id":"e","programID":"program-1",
             "payloadDescriptors":[{"objectType":"EVENT_PAYLOAD_DESCRIPTOR","payloadType":"PRICE","units":"MWH","currency":"USD"}],
             "intervals":[{"id":4,"intervalPeriod":{"start":"2026-07-01T00:00:00.000Z","duration":"PT3H"},
                           "payloads":[{"type":"PRICE","values":[170,30,110]}]}]}
            """);

    PriceSignal price = (PriceSignal) signals.getFirst();
    assertThat(price.currency()).isEqualTo("USD");
    assertThat(price.steps()).extracting(SignalStep::value).containsExactly(0.17, 0.03, 0.11);
    assertThat(price.steps()).extracting(SignalStep::intervalId).containsOnly(4);
    assertThat(price.steps().get(2).start()).isEqualTo(Instant.parse("2026-07-01T02:00:00Z"));
    assertThat(price.steps().get(2).duration()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void importCapacityLimitUsesTheProgramsDescriptorWhenTheEventHasNone() {
    Program inMegawatts =
        new Program(
            "program-1",
            null,
            null,
            "PROGRAM",
            "caps",
            null,
            List.of(
                io.flexrig.openadr.model.EventPayloadDescriptor.of(
                    "IMPORT_CAPACITY_LIMIT", "MW", null)),
            null);
    Event event =
        event(
            """
            {"id":"e","programID":"program-1",
             "intervalPeriod":{"start":"2026-07-01T19:00:00Z","duration":"PT2H"},
             "intervals":[{"id":0,"payloads":[{"type":"IMPORT_CAPACITY_LIMIT","values":[1.5]}]}]}
            """);

    List<GridSignal> signals = interpreter.interpret(event, inMegawatts, RECEIVED);

    assertThat(signals).singleElement().isInstanceOf(ImportCapacityLimit.class);
    assertThat(((ImportCapacityLimit) signals.getFirst()).kw()).isEqualTo(1500);
  }

  @Test
  void zeroLengthWindowAtTheBeginningOfTimeIsACancellation() {
    List<GridSignal> signals =
        read(
            """
            {"id":"e","programID":"program-1",
             "intervalPeriod":{"start":"0001-01-01T00:00:00","duration":"PT0S"},
             "intervals":[{"id":0,"payloads":[{"type":"SIMPLE","values":[1]}]}]}
            """);

    assertThat(signals).singleElement().isInstanceOf(EventCancelled.class);
    assertThat(((EventCancelled) signals.getFirst()).reason())
        .isEqualTo(EventCancelled.Reason.CANCELLED);
  }

  @Test
  void payloadsInUnitsThatAreNotPowerAreSkipped() {
    List<GridSignal> signals =
        read(
            """
            {"id":"e","programID":"program-1",
             "payloadDescriptors":[{"objectType":"EVENT_PAYLOAD_DESCRIPTOR","payloadType":"DISPATCH_SETPOINT","units":"PERCENT"}],
             "intervalPeriod":{"start":"2026-07-01T19:00:00Z","duration":"PT1H"},
             "intervals":[{"id":0,"payloads":[{"type":"DISPATCH_SETPOINT","values":[0.5]},{"type":"GHG","values":[400]}]}]}
            """);

    assertThat(signals).isEmpty();
  }

  private List<GridSignal> read(String json) {
    return interpreter.interpret(event(json), PROGRAM, RECEIVED);
  }

  private static Event event(String json) {
    try {
      return OpenAdrJson.mapper().readValue(json, Event.class);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
