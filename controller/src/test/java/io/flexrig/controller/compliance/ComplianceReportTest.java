package io.flexrig.controller.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.flexrig.controller.compliance.ComplianceReport.Interval;
import io.flexrig.controller.compliance.ComplianceReport.RigShare;
import io.flexrig.controller.events.CurtailmentEvent;
import io.flexrig.controller.events.EventState;
import io.flexrig.controller.events.EventTarget;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class ComplianceReportTest {

  private static final Instant START = Instant.parse("2026-11-25T10:05:00Z");

  private static CurtailmentEvent event(Optional<Instant> metAt) {
    return new CurtailmentEvent(
        "ev-<1>",
        "site & co",
        "req",
        new EventTarget.Cap(5),
        START,
        Duration.ofMinutes(10),
        START.plus(Duration.ofMinutes(40)),
        "",
        EventState.COMPLETED,
        START,
        Optional.of(8.0),
        Optional.of(5.0),
        metAt,
        metAt.map(t -> !t.isAfter(START.plus(Duration.ofMinutes(10)))).orElse(false),
        Optional.of(START.plus(Duration.ofMinutes(40))));
  }

  private static Interval quarter(String start, double covered, double measured) {
    Instant s = Instant.parse(start);
    return new Interval(s, s.plus(Duration.ofMinutes(15)), covered, 8, Double.NaN, measured, 5);
  }

  /** 10:00 (ramp, before the deadline), 10:15, 10:30 and 10:45 (5 of 15 minutes inside). */
  private static ComplianceReport report(Optional<Instant> metAt, double lastMeasured) {
    return new ComplianceReport(
        event(metAt),
        true,
        8,
        0,
        List.of(
            quarter("2026-11-25T10:00:00Z", 600, 7),
            quarter("2026-11-25T10:15:00Z", 900, 5.05),
            quarter("2026-11-25T10:30:00Z", 900, 4.5),
            quarter("2026-11-25T10:45:00Z", 300, lastMeasured)),
        List.of(new RigShare("a", 4, 2), new RigShare("b", 4, 3)),
        START.plus(Duration.ofHours(1)));
  }

  @Test
  void targetIsMetWhenEveryIntervalFromTheDeadlineOnIsAtTargetWithinTolerance() {
    ComplianceReport r = report(Optional.of(START.plus(Duration.ofMinutes(4))), 5);

    // 10:15 is 1 % above the 5 kW target: within the 2 % tolerance.
    assertThat(r.targetMet()).isTrue();
    assertThat(r.deadlineMet()).isTrue();
    assertThat(r.deltaBaseline()).isEqualTo(ComplianceReport.BaselineMethod.PRE_EVENT_AVERAGE);
  }

  @Test
  void oneIntervalAboveTargetAfterTheDeadlineFailsTheTarget() {
    assertThat(report(Optional.of(START.plus(Duration.ofMinutes(4))), 5.2).targetMet()).isFalse();
    assertThat(report(Optional.of(START.plus(Duration.ofMinutes(4))), Double.NaN).targetMet())
        .as("no data is no proof")
        .isFalse();
    assertThat(report(Optional.empty(), 5).targetMet()).isFalse();
  }

  @Test
  void averagesAreWeightedByTheTimeEachIntervalCovers() {
    ComplianceReport r = report(Optional.of(START), 5);

    double measured = (7 * 600 + 5.05 * 900 + 4.5 * 900 + 5 * 300) / 2700.0;
    assertThat(r.measuredKw()).isCloseTo(measured, within(1e-9));
    assertThat(r.deltaKw()).isCloseTo(8 - measured, within(1e-9));
    assertThat(r.likeDaysKw()).isNaN();
    assertThat(r.share(r.rigs().get(0))).isCloseTo(2.0 / 3, within(1e-9));
  }

  @Test
  void theChartIsWellFormedSvgWithOneSeriesPerLineAndEscapedNames() throws Exception {
    String svg = ComplianceChart.render(report(Optional.of(START), 5));

    Document doc =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
    // measured, target and pre-event baseline; no like-days line without like days.
    assertThat(doc.getElementsByTagName("path").getLength()).isEqualTo(3);
    assertThat(svg).contains("ev-&lt;1&gt;").contains("site &amp; co");
  }

  @Test
  void csvLeavesCellsWithoutDataEmpty() {
    String csv = ComplianceCsv.render(report(Optional.of(START), Double.NaN));

    assertThat(csv.lines().toList().get(4))
        .isEqualTo("ev-<1>,2026-11-25T10:45:00Z,2026-11-25T11:00:00Z,300.000,8.000,,,5.000,,false");
    assertThat(csv).contains("\r\n\r\nrig_id,before_kw,during_kw,shed_kw,share\r\n");
  }

  @Test
  void chartScaleEndsOnARoundNumber() {
    assertThat(ComplianceChart.niceCeiling(7.3)).isEqualTo(10);
    assertThat(ComplianceChart.niceCeiling(1234)).isEqualTo(2000);
    assertThat(ComplianceChart.niceCeiling(0)).isEqualTo(1);
  }
}
