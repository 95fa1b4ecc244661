package io.flexrig.logfmt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

class LogLineTest {
  private static final Instant T = Instant.parse("2026-11-25T12:00:01.234Z");

  @Test
  void anEventIsOneLogfmtLineWithLevelLoggerMessageAndFields() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("rig", "site-a-r1");
    fields.put("power_w", 3050.5);
    String line =
        LogLine.format(
            T, false, Level.INFO, "io.flexrig.agent.RigAgent", "agent started", fields, null);

    assertThat(line)
        .isEqualTo(
            "ts=2026-11-25T12:00:01.234Z level=info logger=RigAgent msg=\"agent started\""
                + " rig=site-a-r1 power_w=3050.5\n");
  }

  @Test
  void underJournaldTheLineStartsWithTheSyslogPriorityAndCarriesNoTimestamp() {
    assertThat(LogLine.format(null, true, Level.WARN, "x.Y", "hot", Map.of(), null))
        .isEqualTo("<4>level=warn logger=Y msg=hot\n");
    assertThat(LogLine.format(null, true, Level.ERROR, "x.Y", "m", Map.of(), null))
        .startsWith("<3>");
    assertThat(LogLine.format(null, true, Level.INFO, "x.Y", "m", Map.of(), null))
        .startsWith("<6>");
    assertThat(LogLine.format(null, true, Level.DEBUG, "x.Y", "m", Map.of(), null))
        .startsWith("<7>");
  }

  @Test
  void quotesEscapesAndNewlinesNeverBreakTheLine() {
    String line =
        LogLine.format(
            null,
            false,
            Level.INFO,
            "L",
            "a \"quoted\" path C:\\x\nsecond line\ttab",
            Map.of("bad key=", "", "k", "a=b"),
            null);

    assertThat(line).endsWith("\n").doesNotContain("\r");
    assertThat(line.substring(0, line.length() - 1)).doesNotContain("\n");
    assertThat(line)
        .contains("msg=\"a \\\"quoted\\\" path C:\\\\x\\nsecond line\\ttab\"")
        .contains("k=\"a=b\"")
        .contains("bad_key_=\"\"");
  }

  @Test
  void anExceptionBecomesErrorCauseAndStackFieldsOnTheSameLine() {
    var error =
        new UncheckedIOException("cannot open outbox", new IOException("disk full\nreally"));
    String line = LogLine.format(null, false, Level.ERROR, "L", "failed", Map.of(), error);

    assertThat(line.lines()).hasSize(1);
    assertThat(line)
        .contains("error=\"java.io.UncheckedIOException: cannot open outbox\"")
        .contains("cause=\"java.io.IOException: disk full\\nreally\"")
        .contains("stack=\"io.flexrig.logfmt.LogLineTest.")
        .contains("caused by java.io.IOException");
  }

  @Test
  void aLongStackIsCutToItsFirstFrames() {
    Throwable deep = new IllegalStateException("deep");
    deep.setStackTrace(
        java.util.stream.IntStream.range(0, 200)
            .mapToObj(i -> new StackTraceElement("C", "m" + i, "C.java", i))
            .toArray(StackTraceElement[]::new));
    String line = LogLine.format(null, false, Level.ERROR, "L", "x", Map.of(), deep);

    assertThat(line).contains("C.m11(C.java:11) ...").doesNotContain("C.m12(");
  }
}
