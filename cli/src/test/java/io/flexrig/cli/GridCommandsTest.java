package io.flexrig.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flexrig.proto.v1.CurtailmentEvent;
import io.flexrig.proto.v1.EventState;
import io.flexrig.proto.v1.EventStatus;
import io.flexrig.proto.v1.ListCurtailmentEventsResponse;
import io.flexrig.proto.v1.SiteStatus;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** flexrigctl against a real FleetController on loopback, with two test rigs on one site. */
@Tag("integration")
class GridCommandsTest {

  private static final String SITE = LoopbackSite.SITE;

  @TempDir Path dir;
  @AutoClose private LoopbackSite loopback;

  @BeforeEach
  void start() throws InterruptedException {
    loopback = LoopbackSite.start(dir);
  }

  private CurtailmentEvent createEvent(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--json",
                "event",
                "create",
                "--site",
                SITE,
                "--reduce-by-kw",
                "2.5",
                "--start-in",
                "1h",
                "--response",
                "10m",
                "--duration",
                "1h"));
    args.addAll(List.of(extra));
    CtlRun r = loopback.ctl(args.toArray(String[]::new));
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return CtlRun.parse(r.out(), CurtailmentEvent.newBuilder()).build();
  }

  @Test
  void siteStatusPrintsMeasuredPowerAndRigsAsAlignedFields() {
    CtlRun r = loopback.ctl("site", "status", "--site", SITE);

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains("site            site-1")
        .contains("measured        6.0 kW")
        .contains("nameplate       6.0 kW")
        .contains("rigs connected  2 of 2 known")
        .contains("active event    -");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void createdEventIsListedAndShowsItsStatusThenCancels() {
    CurtailmentEvent created = createEvent("--program", "ERCOT-ERS", "--request-id", "req-1");
    assertThat(created.getState()).isEqualTo(EventState.EVENT_STATE_SCHEDULED);
    assertThat(created.getReduceByKw()).isEqualTo(2.5);
    assertThat(created.getProgram()).isEqualTo("ERCOT-ERS");
    assertThat(created.getRequestId()).isEqualTo("req-1");
    String id = created.getEventId();

    CtlRun list = loopback.ctl("event", "list", "--site", SITE);
    assertThat(list.exitCode()).as(list.toString()).isZero();
    assertThat(list.out().lines().toList())
        .hasSize(2)
        .first()
        .asString()
        .startsWith("EVENT")
        .contains("STATE", "TARGET", "START", "END", "PROGRAM");
    assertThat(list.out().lines().skip(1).findFirst().orElseThrow())
        .startsWith(id)
        .contains("scheduled", "reduce by 2.5 kW", "(in 59m", "ERCOT-ERS");

    CtlRun status = loopback.ctl("event", "status", id);
    assertThat(status.exitCode()).as(status.toString()).isZero();
    assertThat(status.out())
        .contains("state           scheduled")
        .contains("target          reduce by 2.5 kW")
        .contains("target met      no")
        .contains("request id      req-1");

    CtlRun cancel = loopback.ctl("event", "cancel", id);
    assertThat(cancel.exitCode()).as(cancel.toString()).isZero();
    assertThat(cancel.out()).contains("state       cancelled");

    CtlRun after = loopback.ctl("--json", "event", "status", id);
    EventStatus s = CtlRun.parse(after.out(), EventStatus.newBuilder()).build();
    assertThat(s.getEvent().getState()).isEqualTo(EventState.EVENT_STATE_CANCELLED);
  }

  @Test
  void jsonOutputIsOneProtobufDocumentPerCommand() {
    CurtailmentEvent created = createEvent();

    CtlRun list = loopback.ctl("--json", "event", "list", "--site", SITE, "--limit", "5");
    assertThat(list.out().lines().count()).isEqualTo(1);
    ListCurtailmentEventsResponse events =
        CtlRun.parse(list.out(), ListCurtailmentEventsResponse.newBuilder()).build();
    assertThat(events.getEventsList())
        .extracting(CurtailmentEvent::getEventId)
        .containsExactly(created.getEventId());

    CtlRun site = loopback.ctl("site", "status", "--site", SITE, "--json");
    SiteStatus status = CtlRun.parse(site.out(), SiteStatus.newBuilder()).build();
    assertThat(status.getRigsConnected()).isEqualTo(2);
    // fields at their default are printed too, so scripts need no defaults of their own
    assertThat(site.out()).contains("\"rigsCurtailed\":0");
  }

  @Test
  void repeatedRequestIdReturnsTheSameEvent() {
    CurtailmentEvent first = createEvent("--request-id", "dispatch-4711");
    CurtailmentEvent again = createEvent("--request-id", "dispatch-4711");

    assertThat(again.getEventId()).isEqualTo(first.getEventId());
  }

  @Test
  void invalidRequestExitsWithCodeThreeAndTheControllersReason() {
    Instant start = Instant.now().plus(Duration.ofHours(2));
    CtlRun r =
        loopback.ctl(
            "event",
            "create",
            "--site",
            SITE,
            "--cap-kw",
            "4",
            "--start",
            start.toString(),
            "--end",
            start.minusSeconds(60).toString(),
            "--response",
            "10m");

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
    assertThat(r.err().strip())
        .startsWith("flexrigctl: rejected by the controller: end_at ")
        .contains("must be after start_at")
        .doesNotContain("\n");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void unknownSiteIsRejectedByTheControllerOnCreate() {
    CtlRun r =
        loopback.ctl(
            "event",
            "create",
            "--site",
            "nowhere",
            "--reduce-by-kw",
            "1",
            "--response",
            "90s",
            "--duration",
            "1h");

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
    assertThat(r.err()).contains("unknown site 'nowhere'");
  }

  @Test
  void unknownEventExitsWithCodeFour() {
    for (String command : List.of("status", "cancel", "watch")) {
      CtlRun r = loopback.ctl("event", command, "no-such-event");

      assertThat(r.exitCode()).as(command + ": " + r).isEqualTo(4);
      assertThat(r.err()).startsWith("flexrigctl: not found: ").contains("no-such-event");
    }
    CtlRun site = loopback.ctl("site", "status", "--site", "nowhere");
    assertThat(site.exitCode()).as(site.toString()).isEqualTo(4);
    assertThat(site.err()).contains("unknown site 'nowhere'");
  }

  @Test
  void unreachableControllerExitsWithCodeSix() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    CtlRun r =
        CtlRun.of(
            Map.of(),
            "--plaintext",
            "--controller",
            "127.0.0.1:" + closedPort,
            "site",
            "status",
            "--site",
            SITE);

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(6);
    assertThat(r.err().strip())
        .isEqualTo(
            "flexrigctl: controller 127.0.0.1:" + closedPort + " unavailable: Connection refused");
  }

  @Test
  void tlsToAPlaintextControllerSuggestsPlaintext() {
    CtlRun r =
        CtlRun.of(Map.of(), "--controller", loopback.address(), "site", "status", "--site", SITE);

    assertThat(r.exitCode()).as(r.toString()).isEqualTo(6);
    assertThat(r.err().strip())
        .isEqualTo(
            "flexrigctl: controller "
                + loopback.address()
                + " unavailable: the controller does not speak TLS (a development controller?"
                + " add --plaintext)");
  }

  @Test
  void controllerComesFromTheEnvironmentAndOptionsGoBeforeOrAfterTheCommand() {
    CtlRun fromEnv =
        CtlRun.of(
            Map.of(FlexrigCtl.ENV_CONTROLLER, loopback.address()),
            "site",
            "status",
            "--site",
            SITE,
            "--plaintext");
    assertThat(fromEnv.exitCode()).as(fromEnv.toString()).isZero();

    CtlRun optionWins =
        CtlRun.of(
            Map.of(FlexrigCtl.ENV_CONTROLLER, "127.0.0.1:1"),
            "site",
            "--controller",
            loopback.address(),
            "status",
            "--site",
            SITE,
            "--plaintext",
            "--json");
    assertThat(optionWins.exitCode()).as(optionWins.toString()).isZero();
    assertThat(optionWins.out()).startsWith("{");
  }

  @Test
  void watchStreamsStatusLinesUntilTheEventEnds() {
    CtlRun created =
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
            "3s");
    assertThat(created.exitCode()).as(created.toString()).isZero();
    String id = CtlRun.parse(created.out(), CurtailmentEvent.newBuilder()).getEventId();

    CtlRun watch = loopback.ctl("event", "watch", id);

    assertThat(watch.exitCode()).as(watch.toString()).isZero();
    List<String> lines = watch.out().lines().toList();
    assertThat(lines.getFirst()).startsWith("OBSERVED").contains("MEASURED", "TARGET MET");
    assertThat(lines.subList(1, lines.size())).hasSizeGreaterThanOrEqualTo(2);
    assertThat(lines.getLast()).contains(" completed ");
    assertThat(lines).anySatisfy(l -> assertThat(l).contains(" active ").contains("4.5 kW"));
  }

  @Test
  void watchInJsonPrintsOneStatusDocumentPerLine() {
    CtlRun created =
        loopback.ctl(
            "--json",
            "event",
            "create",
            "--site",
            SITE,
            "--cap-kw",
            "5",
            "--response",
            "1s",
            "--duration",
            "2s");
    String id = CtlRun.parse(created.out(), CurtailmentEvent.newBuilder()).getEventId();

    CtlRun watch = loopback.ctl("event", "watch", id, "--json");

    assertThat(watch.exitCode()).as(watch.toString()).isZero();
    List<EventStatus> statuses =
        watch.out().lines().map(l -> CtlRun.parse(l, EventStatus.newBuilder()).build()).toList();
    assertThat(statuses).isNotEmpty();
    assertThat(statuses.getLast().getEvent().getState())
        .isEqualTo(EventState.EVENT_STATE_COMPLETED);
    assertThat(statuses).allSatisfy(s -> assertThat(s.getTargetKw()).isEqualTo(5.0));
  }

  @Test
  void watchCarriesOnAcrossAControllerRestart() throws Exception {
    String id = createEvent().getEventId(); // scheduled an hour ahead: the stream stays open
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var watch =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () ->
                FlexrigCtl.run(
                    new String[] {
                      "--plaintext", "--controller", loopback.address(), "event", "watch", id
                    },
                    new PrintWriter(out, true),
                    new PrintWriter(err, true),
                    Map.of(),
                    java.time.Clock.systemUTC()));
    await().atMost(Duration.ofSeconds(10)).until(() -> out.toString().contains(" scheduled "));

    loopback.stopController();
    await().atMost(Duration.ofSeconds(10)).until(() -> err.toString().contains("watching again"));
    loopback.startControllerAgain();
    int linesBefore = (int) out.toString().lines().count();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> out.toString().lines().count() > linesBefore);

    CtlRun cancel = loopback.ctl("event", "cancel", id);
    assertThat(cancel.exitCode()).as(cancel.toString()).isZero();

    assertThat(watch.get(10, TimeUnit.SECONDS)).as(err.toString()).isZero();
    assertThat(out.toString().lines().toList().getLast()).contains(" cancelled ");
    assertThat(err.toString().lines().toList())
        .singleElement()
        .asString()
        .startsWith("flexrigctl: controller " + loopback.address() + " unavailable: ");
  }

  @Test
  void ctrlCStopsAWatchCleanly() throws Exception {
    String id = createEvent().getEventId(); // scheduled an hour ahead: the stream stays open
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process watch =
        new ProcessBuilder(
                javaBin,
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                FlexrigCtl.class.getName(),
                "--plaintext",
                "--controller",
                loopback.address(),
                "event",
                "watch",
                id)
            .redirectError(dir.resolve("watch.err").toFile())
            .start();
    try {
      var stdout =
          new BufferedReader(new InputStreamReader(watch.getInputStream(), StandardCharsets.UTF_8));
      assertThat(stdout.readLine()).startsWith("OBSERVED");
      assertThat(stdout.readLine()).contains(" scheduled ");

      Process kill = new ProcessBuilder("kill", "-INT", Long.toString(watch.pid())).start();
      assertThat(kill.waitFor()).isZero();

      assertThat(watch.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(watch.exitValue()).isEqualTo(130);
      assertThat(Files.readString(dir.resolve("watch.err"))).doesNotContain("Exception");
    } finally {
      watch.destroyForcibly();
    }
  }
}
