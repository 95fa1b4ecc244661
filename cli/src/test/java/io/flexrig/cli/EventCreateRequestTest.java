package io.flexrig.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexrig.proto.v1.CreateCurtailmentEventRequest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** How the options of {@code event create} become a request, without a controller. */
class EventCreateRequestTest {

  private static final Instant NOW = Instant.parse("2026-11-25T13:00:00Z");

  private static CreateCurtailmentEventRequest request(String... options) {
    CommandLine cli =
        FlexrigCtl.commandLine(
            new PrintWriter(new StringWriter()),
            new PrintWriter(new StringWriter()),
            Map.of(),
            Clock.fixed(NOW, ZoneOffset.UTC));
    String[] args = new String[options.length + 2];
    args[0] = "event";
    args[1] = "create";
    System.arraycopy(options, 0, args, 2, options.length);
    CommandLine.ParseResult parsed = cli.parseArgs(args);
    EventCreateCommand create =
        (EventCreateCommand) parsed.subcommand().subcommand().commandSpec().userObject();
    return create.request(NOW);
  }

  private static Instant instant(com.google.protobuf.Timestamp t) {
    return HumanFormat.instant(t);
  }

  @Test
  void startInAndDurationCountFromNow() {
    CreateCurtailmentEventRequest r =
        request(
            "--site",
            "site-1",
            "--reduce-by-kw",
            "500",
            "--start-in",
            "5m",
            "--response",
            "10m",
            "--duration",
            "1h",
            "--program",
            "ERCOT-ERS",
            "--request-id",
            "d-1");

    assertThat(r.getSiteId()).isEqualTo("site-1");
    assertThat(r.getReduceByKw()).isEqualTo(500);
    assertThat(instant(r.getStartAt())).isEqualTo(Instant.parse("2026-11-25T13:05:00Z"));
    assertThat(instant(r.getEndAt())).isEqualTo(Instant.parse("2026-11-25T14:05:00Z"));
    assertThat(r.getResponseTimeS()).isEqualTo(600);
    assertThat(r.getProgram()).isEqualTo("ERCOT-ERS");
    assertThat(r.getRequestId()).isEqualTo("d-1");
  }

  @Test
  void withoutStartTheControllerPicksNowAndTheDurationCountsFromOurNow() {
    CreateCurtailmentEventRequest r =
        request("--site", "s", "--cap-kw", "2000", "--response", "90s", "--duration", "30m");

    assertThat(r.hasStartAt()).isFalse();
    assertThat(r.getCapSiteKw()).isEqualTo(2000);
    assertThat(r.getResponseTimeS()).isEqualTo(90);
    assertThat(instant(r.getEndAt())).isEqualTo(NOW.plusSeconds(1800));
  }

  @Test
  void absoluteStartAndEndAreSentAsGivenWithOffsetsNormalisedToUtc() {
    CreateCurtailmentEventRequest r =
        request(
            "--site",
            "s",
            "--cap-kw",
            "1",
            "--response",
            "500ms",
            "--start",
            "2026-11-25T15:00:00+01:00",
            "--end",
            "2026-11-25T16:00:00Z");

    assertThat(instant(r.getStartAt())).isEqualTo(Instant.parse("2026-11-25T14:00:00Z"));
    assertThat(instant(r.getEndAt())).isEqualTo(Instant.parse("2026-11-25T16:00:00Z"));
    assertThat(r.getResponseTimeS()).isEqualTo(0.5);
  }

  @Test
  void eachRequestGetsItsOwnIdUnlessOneIsGiven() {
    String[] options = {"--site", "s", "--cap-kw", "1", "--response", "1m", "--duration", "1h"};

    assertThat(request(options).getRequestId())
        .isNotBlank()
        .isNotEqualTo(request(options).getRequestId());
  }
}
