package io.flexrig.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flexrig.proto.v1.ComplianceReport;
import io.flexrig.proto.v1.CurtailmentEvent;
import io.flexrig.proto.v1.EventState;
import io.flexrig.proto.v1.SetpointKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** event modify, event report and schedules against a real FleetController on loopback. */
@Tag("integration")
class EventReportAndModifyTest {

  private static final String SITE = LoopbackSite.SITE;

  @TempDir Path dir;
  @AutoClose private LoopbackSite loopback;

  @BeforeEach
  void start() throws InterruptedException {
    loopback = LoopbackSite.start(dir);
  }

  private CurtailmentEvent created(CtlRun r) {
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return CtlRun.parse(r.out(), CurtailmentEvent.newBuilder()).build();
  }

  @Test
  void modifyChangesTargetAndEndAndPrintsTheEvent() {
    CurtailmentEvent event =
        created(
            loopback.ctl(
                "--json",
                "event",
                "create",
                "--site",
                SITE,
                "--reduce-by-kw",
                "1",
                "--start-in",
                "1h",
                "--response",
                "10m",
                "--duration",
                "1h"));

    CtlRun r =
        loopback.ctl(
            "event",
            "modify",
            event.getEventId(),
            "--cap-kw",
            "4.5",
            "--end-in",
            "3h",
            "--reason",
            "revision 2");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).contains("cap at 4.5 kW").contains("scheduled");
    CtlRun none = loopback.ctl("event", "modify", event.getEventId());
    assertThat(none.exitCode()).isEqualTo(ExitCodes.USAGE);
    CtlRun bad = loopback.ctl("event", "modify", event.getEventId(), "--cap-kw", "-1");
    assertThat(bad.exitCode()).as(bad.toString()).isEqualTo(ExitCodes.INVALID_ARGUMENT);
    assertThat(bad.err()).contains("cap_site_kw");
  }

  @Test
  void createWithAScheduleSendsEveryStep() {
    CurtailmentEvent event =
        created(
            loopback.ctl(
                "--json",
                "event",
                "create",
                "--site",
                SITE,
                "--cap-schedule",
                "+0=5.5,+30m=4.5",
                "--start-in",
                "1h",
                "--response",
                "10m",
                "--duration",
                "1h"));

    assertThat(event.getSetpointSchedule().getKind()).isEqualTo(SetpointKind.SETPOINT_KIND_CAP);
    assertThat(event.getSetpointSchedule().getStepsList())
        .extracting(s -> s.getStartAt().getSeconds() - event.getStartAt().getSeconds())
        .containsExactly(0L, 1800L);
    CtlRun shown = loopback.ctl("event", "status", event.getEventId());
    assertThat(shown.out()).contains("cap 5.5 kW from ").contains(", 4.5 kW from ");
  }

  @Test
  void reportOfAnEndedEventPrintsTablesAndWritesCsvAndSvg() throws Exception {
    CurtailmentEvent event =
        created(
            loopback.ctl(
                "--json",
                "event",
                "create",
                "--site",
                SITE,
                "--reduce-by-kw",
                "1.5",
                "--response",
                "2s",
                "--duration",
                "3s"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                CtlRun.parse(
                            loopback.ctl("--json", "event", "report", event.getEventId()).out(),
                            ComplianceReport.newBuilder())
                        .getEvent()
                        .getState()
                    == EventState.EVENT_STATE_COMPLETED);
    Path csv = dir.resolve("event.csv");
    Path svg = dir.resolve("event.svg");

    CtlRun r =
        loopback.ctl(
            "event",
            "report",
            event.getEventId(),
            "--csv",
            csv.toString(),
            "--svg",
            svg.toString());

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains("final")
        .contains("pre-event avg")
        .contains("INTERVAL")
        .contains("RIG")
        .contains("rig-a")
        .contains("rig-b");
    assertThat(Files.readString(csv))
        .startsWith("event_id,interval_start,")
        .contains(event.getEventId());
    assertThat(Files.readString(svg)).startsWith("<svg").contains("</svg>");
    CtlRun json = loopback.ctl("--json", "event", "report", event.getEventId());
    ComplianceReport report = CtlRun.parse(json.out(), ComplianceReport.newBuilder()).build();
    assertThat(report.getFinal()).isTrue();
    assertThat(report.getRigsCount()).isEqualTo(2);
    assertThat(report.getCsv()).as("renderings go to files, not to stdout").isEmpty();
    assertThat(Instant.ofEpochSecond(report.getGeneratedAt().getSeconds()))
        .isAfter(Instant.ofEpochSecond(event.getCreatedAt().getSeconds() - 1));
    CtlRun missing = loopback.ctl("event", "report", "no-such-event");
    assertThat(missing.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
  }
}
