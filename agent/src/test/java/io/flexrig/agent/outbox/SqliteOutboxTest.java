package io.flexrig.agent.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexrig.agent.uplink.MemoryOutbox;
import io.flexrig.agent.uplink.TelemetryOutbox;
import io.flexrig.proto.v1.Alarm;
import io.flexrig.proto.v1.TelemetrySample;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteOutboxTest {

  private static final long BUDGET = 1 << 20;

  @TempDir Path dir;

  private static TelemetrySample sample(double watts) {
    return TelemetrySample.newBuilder().setPowerW(watts).build();
  }

  private static List<Long> sequences(List<TelemetrySample> samples) {
    return samples.stream().map(TelemetrySample::getSequence).toList();
  }

  @Test
  void samplesSurviveReopeningAndReplayInOrderWithTheirSequences() {
    Path file = dir.resolve("outbox.db");
    try (SqliteOutbox outbox = SqliteOutbox.open(file, BUDGET, n -> {})) {
      for (int i = 1; i <= 5; i++) {
        assertThat(outbox.append(sample(3000 + i)).getSequence()).isEqualTo(i);
      }
    }
    try (SqliteOutbox outbox = SqliteOutbox.open(file, BUDGET, n -> {})) {
      List<TelemetrySample> replay = outbox.after(0, 100);

      assertThat(sequences(replay)).containsExactly(1L, 2L, 3L, 4L, 5L);
      assertThat(replay.get(2).getPowerW()).isEqualTo(3003);
      assertThat(outbox.lastSequence()).isEqualTo(5);
      assertThat(outbox.size()).isEqualTo(5);
      assertThat(outbox.append(sample(1)).getSequence()).isEqualTo(6);
    }
  }

  @Test
  void acknowledgedSamplesAreForgottenForGood() {
    Path file = dir.resolve("outbox.db");
    try (SqliteOutbox outbox = SqliteOutbox.open(file, BUDGET, n -> {})) {
      for (int i = 0; i < 10; i++) {
        outbox.append(sample(i));
      }
      outbox.ackThrough(7);
      assertThat(sequences(outbox.after(0, 100))).containsExactly(8L, 9L, 10L);
      assertThat(sequences(outbox.after(8, 1))).containsExactly(9L);
    }
    try (SqliteOutbox outbox = SqliteOutbox.open(file, BUDGET, n -> {})) {
      assertThat(outbox.size()).isEqualTo(3);
      outbox.ackThrough(10);
      assertThat(outbox.size()).isZero();
      assertThat(outbox.storedBytes()).isZero();
      assertThat(outbox.lastSequence()).isEqualTo(10);
    }
  }

  @Test
  void pastTheDiskBudgetTheOldestSamplesAreDroppedCountedAndReported() {
    List<Long> reported = new CopyOnWriteArrayList<>();
    Path file = dir.resolve("outbox.db");
    int perSample = sample(3000).toByteArray().length;
    long budget = Math.max(1024, perSample * 100L);
    int fits = (int) (budget / perSample);
    try (SqliteOutbox outbox = SqliteOutbox.open(file, budget, reported::add)) {
      for (int i = 0; i < fits + 10; i++) {
        outbox.append(sample(3000));
      }

      assertThat(outbox.dropped()).isEqualTo(10);
      assertThat(outbox.size()).isEqualTo(fits);
      assertThat(outbox.storedBytes()).isLessThanOrEqualTo(budget);
      assertThat(outbox.after(0, 1).getFirst().getSequence()).isEqualTo(11);
      assertThat(reported).isNotEmpty().last().isEqualTo(10L);
    }
    try (SqliteOutbox outbox = SqliteOutbox.open(file, budget, reported::add)) {
      assertThat(outbox.dropped()).isEqualTo(10);
    }
  }

  @Test
  void continuingAfterTheControllersSequenceRenumbersKeptSamplesDurably() {
    Path file = dir.resolve("outbox.db");
    try (SqliteOutbox outbox = SqliteOutbox.open(file, BUDGET, n -> {})) {
      outbox.append(sample(1));
      outbox.append(sample(2));
      outbox.continueAfter(100);
    }
    try (SqliteOutbox outbox = SqliteOutbox.open(file, BUDGET, n -> {})) {
      List<TelemetrySample> kept = outbox.after(0, 10);
      assertThat(sequences(kept)).containsExactly(101L, 102L);
      assertThat(kept.get(0).getPowerW()).isEqualTo(1);
      assertThat(outbox.append(sample(3)).getSequence()).isEqualTo(103);
    }
  }

  @Test
  void alarmsAreKeptAcrossRestartsUntilASampleNumberedAfterThemIsAcknowledged() {
    Path file = dir.resolve("outbox.db");
    Alarm alarm = Alarm.newBuilder().setAlarmId("al-1").setCode("THERMAL_DERATE").build();
    try (SqliteOutbox outbox = SqliteOutbox.open(file, 1024, n -> {})) {
      outbox.append(sample(1)); // 1
      outbox.keepAlarm(alarm); // kept after sample 1
      outbox.append(sample(2)); // 2, sent after the alarm
      outbox.ackThrough(1);
    }
    try (SqliteOutbox outbox = SqliteOutbox.open(file, 1024, n -> {})) {
      assertThat(outbox.pendingAlarms()).containsExactly(alarm);
      // A budget far too small for samples never touches alarms.
      for (int i = 0; i < 200; i++) {
        outbox.append(sample(i));
      }
      assertThat(outbox.pendingAlarms()).containsExactly(alarm);

      outbox.ackThrough(2);

      assertThat(outbox.pendingAlarms()).isEmpty();
    }
  }

  @Test
  void behavesLikeTheMemoryOutboxWhenNothingIsDropped() {
    try (SqliteOutbox durable = SqliteOutbox.open(dir.resolve("o.db"), BUDGET, n -> {})) {
      TelemetryOutbox memory = new MemoryOutbox(1000, 0);
      for (TelemetryOutbox o : List.of(durable, memory)) {
        for (int i = 0; i < 20; i++) {
          o.append(sample(i));
        }
        o.ackThrough(5);
        o.continueAfter(3); // below what it numbered: nothing changes
        o.continueAfter(40);
        o.append(sample(99));
        o.ackThrough(45);
      }

      assertThat(durable.after(0, 100)).isEqualTo(memory.after(0, 100));
      assertThat(durable.lastSequence()).isEqualTo(memory.lastSequence());
      assertThat(durable.size()).isEqualTo(memory.size());
    }
  }
}
