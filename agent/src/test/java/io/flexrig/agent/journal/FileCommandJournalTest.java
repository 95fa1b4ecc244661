package io.flexrig.agent.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.flexrig.agent.MutableClock;
import io.flexrig.agent.control.CommandAck;
import io.flexrig.agent.control.CommandJournal.Entry;
import io.flexrig.agent.control.CommandOutcome;
import io.flexrig.agent.control.CommandResult;
import io.flexrig.agent.control.CurtailmentCommand;
import io.flexrig.agent.control.CurtailmentCommand.Release;
import io.flexrig.agent.control.CurtailmentCommand.SetPowerTarget;
import io.flexrig.agent.control.CurtailmentCommand.Sleep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCommandJournalTest {
  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  private final MutableClock clock = new MutableClock(T0);
  @TempDir Path dir;

  private static CurtailmentCommand command(
      String id, long expiresInS, CurtailmentCommand.Action action) {
    return new CurtailmentCommand(
        id, "event-1", T0, T0.plusSeconds(30), T0.plusSeconds(expiresInS), action);
  }

  private static CommandAck ack(String id, double appliedW) {
    return new CommandAck(id, true, "", false, appliedW, T0);
  }

  @Test
  void anAcceptedCommandIsReadBackIdenticallyAfterReopening() throws Exception {
    CurtailmentCommand c = command("c1", 900, new SetPowerTarget(2000));
    CommandAck a = new CommandAck("c1", true, "clamped from 1000 W", true, 1500, T0);
    try (FileCommandJournal journal = FileCommandJournal.open(dir, clock)) {
      assertThat(journal.live()).isEmpty();
      journal.accepted(c, a);
    }

    try (FileCommandJournal journal = FileCommandJournal.open(dir, clock)) {
      assertThat(journal.live()).containsExactly(new Entry(c, a, false, false));
      assertThat(journal.droppedDamagedTail()).isFalse();
    }
  }

  @Test
  void aFinishedCommandIsMarkedAndAnEarlierOneIsMarkedSuperseded() throws Exception {
    try (FileCommandJournal journal = FileCommandJournal.open(dir, clock)) {
      journal.accepted(command("c1", 900, new SetPowerTarget(2000)), ack("c1", 2000));
      journal.accepted(command("c2", 900, new Sleep()), ack("c2", 0));
      journal.finished(
          new CommandResult("c2", CommandOutcome.ACHIEVED, 25, 0, T0.plusSeconds(5), "sleep"));
    }

    try (FileCommandJournal journal = FileCommandJournal.open(dir, clock)) {
      assertThat(journal.live())
          .extracting(e -> e.command().commandId(), Entry::finished, Entry::superseded)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("c1", false, true),
              org.assertj.core.groups.Tuple.tuple("c2", true, false));
    }
  }

  @Test
  void aRecordCutShortByACrashIsDroppedAndTheRecordsBeforeItKept() throws Exception {
    try (FileCommandJournal journal = FileCommandJournal.open(dir, clock)) {
      journal.accepted(command("c1", 900, new SetPowerTarget(2000)), ack("c1", 2000));
      journal.accepted(command("c2", 900, new SetPowerTarget(1800)), ack("c2", 1800));
    }
    Path file = dir.resolve(FileCommandJournal.FILE_NAME);
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 5));

    try (FileCommandJournal journal = FileCommandJournal.open(dir, clock)) {
      assertThat(journal.droppedDamagedTail()).isTrue();
      assertThat(journal.live()).extracting(e -> e.command().commandId()).containsExactly("c1");
      assertThat(journal.live().getFirst().superseded()).isFalse();
    }
    try (FileCommandJournal journal = FileCommandJournal.open(dir, clock)) {
      assertThat(journal.droppedDamagedTail()).as("compaction rewrote a clean file").isFalse();
    }
  }

  @Test
  void aRecordWithAWrongChecksumEndsTheJournal() throws Exception {
    try (FileCommandJournal journal = FileCommandJournal.open(dir, clock)) {
      journal.accepted(command("c1", 900, new SetPowerTarget(2000)), ack("c1", 2000));
    }
    Path file = dir.resolve(FileCommandJournal.FILE_NAME);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 3] ^= 0x40;
    Files.write(file, bytes);
    Files.write(
        file, JournalRecords.frame(new JournalRecords.Finished("c9")), StandardOpenOption.APPEND);

    try (FileCommandJournal journal = FileCommandJournal.open(dir, clock)) {
      assertThat(journal.droppedDamagedTail()).isTrue();
      assertThat(journal.live()).isEmpty();
    }
  }

  @Test
  void expiredCommandsAreCompactedAwayExceptTheLastOneWhichStillOwesARelease() throws Exception {
    try (FileCommandJournal journal = FileCommandJournal.open(dir, clock)) {
      journal.accepted(command("old", 60, new SetPowerTarget(2000)), ack("old", 2000));
      journal.accepted(command("long", 3600, new SetPowerTarget(1800)), ack("long", 1800));
      journal.accepted(command("last", 120, new Release()), ack("last", 0));
    }
    long before = Files.size(dir.resolve(FileCommandJournal.FILE_NAME));
    clock.advance(Duration.ofSeconds(600));

    try (FileCommandJournal journal = FileCommandJournal.open(dir, clock)) {
      assertThat(journal.live())
          .extracting(e -> e.command().commandId())
          .containsExactly("long", "last");
    }
    assertThat(Files.size(dir.resolve(FileCommandJournal.FILE_NAME))).isLessThan(before);
  }

  @Test
  void theJournalIsCompactedWhileRunningSoItDoesNotGrowWithoutBound() throws Exception {
    try (FileCommandJournal journal = FileCommandJournal.open(dir, clock)) {
      for (int i = 0; i < 3 * FileCommandJournal.COMPACT_EVERY; i++) {
        journal.accepted(command("c" + i, 10, new SetPowerTarget(2000)), ack("c" + i, 2000));
        clock.advance(Duration.ofSeconds(20));
      }
    }
    try (FileCommandJournal journal = FileCommandJournal.open(dir, clock)) {
      assertThat(journal.live()).hasSizeLessThanOrEqualTo(1);
    }
    assertThat(Files.size(dir.resolve(FileCommandJournal.FILE_NAME)))
        .isLessThan(FileCommandJournal.COMPACT_EVERY * 100L);
  }

  @Test
  void theLastArmingOfTheFrequencyResponseSurvivesReopeningAndCompaction() throws Exception {
    try (FileCommandJournal journal = FileCommandJournal.open(dir, clock)) {
      assertThat(journal.arming()).isNull();
      journal.armed(true, "ERCOT-FFR");
      journal.armed(false, "ERCOT-FFR");
      journal.armed(true, "ERCOT-FFR");
    }
    clock.advance(Duration.ofDays(1));
    try (FileCommandJournal journal = FileCommandJournal.open(dir, clock)) {
      assertThat(journal.arming())
          .isEqualTo(new io.flexrig.agent.control.CommandJournal.Arming(true, "ERCOT-FFR"));
    }
    try (FileCommandJournal journal = FileCommandJournal.open(dir, clock)) {
      assertThat(journal.arming().armed()).as("kept by the compaction").isTrue();
    }
  }
}
