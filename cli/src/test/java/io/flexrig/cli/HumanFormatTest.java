package io.flexrig.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import io.flexrig.proto.v1.CurtailmentEvent;
import io.flexrig.proto.v1.EventState;
import io.flexrig.proto.v1.EventStatus;
import io.flexrig.proto.v1.FleetReturn;
import io.flexrig.proto.v1.SiteStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class HumanFormatTest {

  private static final Instant NOW = Instant.parse("2026-11-25T13:55:00.400Z");
  private final HumanFormat format = new HumanFormat(Clock.fixed(NOW, ZoneOffset.UTC));

  private static Timestamp ts(String iso) {
    Instant t = Instant.parse(iso);
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }

  private static CurtailmentEvent event() {
    return CurtailmentEvent.newBuilder()
        .setEventId("ev-1")
        .setSiteId("site-1")
        .setRequestId("dispatch-4711")
        .setReduceByKw(500)
        .setStartAt(ts("2026-11-25T14:00:00Z"))
        .setDeadline(ts("2026-11-25T14:10:00Z"))
        .setEndAt(ts("2026-11-25T15:00:00Z"))
        .setState(EventState.EVENT_STATE_SCHEDULED)
        .setProgram("ERCOT-ERS")
        .setCreatedAt(ts("2026-11-25T13:54:30Z"))
        .build();
  }

  @Test
  void powerHasOneDecimalRegardlessOfLocale() {
    assertThat(HumanFormat.kw(1234.56)).isEqualTo("1234.6 kW");
    assertThat(HumanFormat.kw(0)).isEqualTo("0.0 kW");
  }

  @Test
  void timesAreUtcToTheSecondWithTheDistanceFromNow() {
    assertThat(format.when(Instant.parse("2026-11-25T14:00:00.250Z")))
        .isEqualTo("2026-11-25T14:00:00Z (in 4m59s)");
    assertThat(format.when(Instant.parse("2026-11-25T13:52:00Z")))
        .isEqualTo("2026-11-25T13:52:00Z (3m ago)");
    assertThat(format.relative(NOW.plusMillis(300))).isEqualTo("now");
    assertThat(format.when(false, Timestamp.getDefaultInstance())).isEqualTo("-");
  }

  @Test
  void eventReadsAsAlignedLabelledFields() {
    assertThat(format.event(event()))
        .isEqualTo(
            """
            event       ev-1
            site        site-1
            state       scheduled
            target      reduce by 500.0 kW
            start       2026-11-25T14:00:00Z (in 4m59s)
            deadline    2026-11-25T14:10:00Z (in 14m59s)
            end         2026-11-25T15:00:00Z (in 1h4m)
            program     ERCOT-ERS
            request id  dispatch-4711
            created     2026-11-25T13:54:30Z (30s ago)
            """);
  }

  @Test
  void eventStatusAddsMeasuredFiguresAndYesNo() {
    EventStatus s =
        EventStatus.newBuilder()
            .setEvent(
                event().toBuilder()
                    .setState(EventState.EVENT_STATE_ACTIVE)
                    .clearReduceByKw()
                    .setCapSiteKw(800))
            .setBaselineKw(1300)
            .setTargetKw(800)
            .setMeasuredKw(790.04)
            .setRigsCurtailed(12)
            .setTargetMet(true)
            .setTargetMetAt(ts("2026-11-25T13:54:00Z"))
            .setDeadlineMet(false)
            .setObservedAt(ts("2026-11-25T13:55:00Z"))
            .build();

    assertThat(format.eventStatus(s))
        .contains("state           active\n")
        .contains("target          cap at 800.0 kW\n")
        .contains("baseline        1300.0 kW\n")
        .contains("target load     at most 800.0 kW\n")
        .contains("measured        790.0 kW\n")
        .contains("target met      yes, first at 2026-11-25T13:54:00Z (1m ago)\n")
        .contains("deadline met    no\n")
        .contains("rigs curtailed  12\n")
        .contains("awaiting rigs   -\n");
  }

  @Test
  void aDueEventWaitingForItsRigsSaysHowManyAreBackAndWhenItStartsAnyway() {
    EventStatus s =
        EventStatus.newBuilder()
            .setEvent(event())
            .setTargetKw(800)
            .setMeasuredKw(0)
            .setAwaitingFleet(
                FleetReturn.newBuilder()
                    .setRigsBack(1)
                    .setRigsAwaited(3)
                    .setStartBy(ts("2026-11-25T13:55:30Z")))
            .setObservedAt(ts("2026-11-25T13:55:00Z"))
            .build();

    assertThat(format.eventStatus(s))
        .contains("awaiting rigs   1 of 3 back, starts by 2026-11-25T13:55:30Z (in 29s)\n");
    assertThat(HumanFormat.watchLine(s))
        .isEqualTo(
            "2026-11-25T13:55:00Z  scheduled       0.0 kW     800.0 kW     0  no          no"
                + "            awaiting rigs: 1 of 3 back, starts by 2026-11-25T13:55:30Z"
                + System.lineSeparator());
  }

  @Test
  void siteStatusShowsUnsetActiveEventAsDash() {
    SiteStatus s =
        SiteStatus.newBuilder()
            .setSiteId("site-1")
            .setMeasuredKw(11.75)
            .setNameplateKw(12)
            .setRigsConnected(3)
            .setRigsKnown(4)
            .build();

    assertThat(format.siteStatus(s))
        .isEqualTo(
            """
            site            site-1
            measured        11.8 kW
            nameplate       12.0 kW
            rigs connected  3 of 4 known
            rigs curtailed  0
            active event    -
            observed        -
            """);
  }

  @Test
  void eventListIsATableWithAHeader() {
    String table = format.eventList(List.of(event()));

    assertThat(table.lines().toList())
        .containsExactly(
            "EVENT  STATE      TARGET              START                            END"
                + "                             PROGRAM",
            "ev-1   scheduled  reduce by 500.0 kW  2026-11-25T14:00:00Z (in 4m59s)"
                + "  2026-11-25T15:00:00Z (in 1h4m)  ERCOT-ERS");
    assertThat(format.eventList(List.of())).isEqualTo("no events\n");
  }

  @Test
  void watchLinesLineUpUnderTheirHeader() {
    EventStatus s =
        EventStatus.newBuilder()
            .setEvent(event().toBuilder().setState(EventState.EVENT_STATE_ACTIVE))
            .setTargetKw(800)
            .setMeasuredKw(1234.5)
            .setRigsCurtailed(7)
            .setObservedAt(ts("2026-11-25T14:00:01Z"))
            .build();

    String header = HumanFormat.watchHeader();
    String line = HumanFormat.watchLine(s);

    assertThat(line)
        .isEqualTo(
            "2026-11-25T14:00:01Z  active       1234.5 kW     800.0 kW     7  no          no"
                + System.lineSeparator());
    assertThat(line.indexOf("1234.5 kW") + "1234.5 kW".length())
        .isEqualTo(header.indexOf("MEASURED") + "MEASURED".length());
    assertThat(line.indexOf(" no ") + 1).isEqualTo(header.indexOf("TARGET MET"));
  }
}
