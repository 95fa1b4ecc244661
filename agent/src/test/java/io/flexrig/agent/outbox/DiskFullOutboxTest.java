package io.flexrig.agent.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexrig.proto.v1.Alarm;
import io.flexrig.proto.v1.Reading;
import io.flexrig.proto.v1.TelemetrySample;
import io.flexrig.testkit.SuiteFigures;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reliability suite, disk full on the agent. The outbox's file is capped (SQLite's {@code
 * max_page_count}), so SQLite itself answers "database or disk is full" (SQLITE_FULL), the same
 * error a full SD card gives, while the disk budget is far away. The outbox must keep numbering,
 * drop the oldest samples with a counter and a report, keep alarms, and leave a sound database.
 */
@Tag("reliability")
class DiskFullOutboxTest {
  private static final long GENEROUS_BUDGET = 1L << 30;
  private static final long FILE_CAP = 96 * 1024;

  @TempDir Path dir;

  private static TelemetrySample sample(int n) {
    TelemetrySample.Builder b = TelemetrySample.newBuilder().setPowerW(3000 + n % 100);
    for (int i = 0; i < 8; i++) {
      b.addReadings(Reading.newBuilder().setName("chip_temp_" + i).setValue(60 + i + n % 7));
    }
    return b.build();
  }

  @Test
  void aFullDiskDropsTheOldestSamplesCountsAndReportsThemAndCorruptsNothing() throws Exception {
    Path file = dir.resolve("outbox.db");
    List<Long> reported = new CopyOnWriteArrayList<>();
    int appended = 3000;
    long lastNumbered = 0;
    try (SqliteOutbox outbox = SqliteOutbox.open(file, GENEROUS_BUDGET, FILE_CAP, reported::add)) {
      for (int n = 1; n <= appended; n++) {
        long sequence = outbox.append(sample(n)).getSequence();
        assertThat(sequence).as("numbering goes on through a full disk").isEqualTo(n);
        lastNumbered = sequence;
        if (n == appended / 2) {
          outbox.keepAlarm(Alarm.newBuilder().setAlarmId("outbox-full-1").build());
        }
      }

      assertThat(outbox.diskFull()).isTrue();
      assertThat(outbox.dropped()).isPositive();
      assertThat(outbox.size() + outbox.dropped()).isEqualTo(appended);
      assertThat(reported).isNotEmpty().last().isEqualTo(outbox.dropped());
      assertThat(outbox.pendingAlarms()).extracting(Alarm::getAlarmId).contains("outbox-full-1");
      List<TelemetrySample> kept = outbox.after(0, appended);
      assertThat(kept.getLast().getSequence()).as("the newest is kept").isEqualTo(lastNumbered);
      assertThat(kept.getFirst().getSequence())
          .as("the oldest went first")
          .isEqualTo(appended - kept.size() + 1);
      SuiteFigures.record(DiskFullOutboxTest.class, "samples appended to a full disk", appended);
      SuiteFigures.record(DiskFullOutboxTest.class, "oldest samples dropped", outbox.dropped());
    }

    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("ok");
    }
    try (SqliteOutbox reopened = SqliteOutbox.open(file, GENEROUS_BUDGET, n -> {})) {
      List<TelemetrySample> replay = reopened.after(0, appended);
      assertThat(replay).isNotEmpty();
      assertThat(replay.getLast().getSequence()).isEqualTo(lastNumbered);
      assertThat(replay)
          .extracting(TelemetrySample::getSequence)
          .isSortedAccordingTo(Long::compare)
          .doesNotHaveDuplicates();
      assertThat(reopened.dropped()).isPositive();
      assertThat(reopened.append(sample(0)).getSequence()).isEqualTo(lastNumbered + 1);
    }
  }
}
