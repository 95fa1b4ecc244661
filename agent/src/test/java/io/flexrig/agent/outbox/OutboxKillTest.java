package io.flexrig.agent.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flexrig.proto.v1.Reading;
import io.flexrig.proto.v1.TelemetrySample;
import io.flexrig.testkit.SuiteFigures;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reliability suite, {@code kill -9} during writes: a separate JVM appends samples to the outbox as
 * fast as it can and acknowledges older ones, printing each sequence once {@code append} returned
 * (committed) and each acknowledgement once it returned; it is killed with SIGKILL at a random
 * moment, several times over the same file. After every kill the file must be sound and hold every
 * committed, unacknowledged sample, in order, and the numbering must go on without reuse.
 */
@Tag("integration")
@Tag("reliability")
class OutboxKillTest {
  private static final int KILLS = 5;

  @TempDir Path dir;

  /** The child: appends and acknowledges until killed. */
  public static void main(String[] args) {
    Path file = Path.of(args[0]);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    try (SqliteOutbox outbox = SqliteOutbox.open(file, 1L << 30, n -> {})) {
      out.println("ready " + outbox.lastSequence());
      for (int n = 0; ; n++) {
        TelemetrySample.Builder s = TelemetrySample.newBuilder().setPowerW(3000 + n % 50);
        s.addReadings(Reading.newBuilder().setName("chip_temp_max").setValue(70 + n % 9));
        out.println("committed " + outbox.append(s.build()).getSequence());
        if (n % 50 == 49) {
          long through = outbox.lastSequence() - 20;
          // announced first: a kill between the commit and "acked" leaves this ack done but unsaid
          out.println("acking " + through);
          outbox.ackThrough(through);
          out.println("acked " + through);
        }
      }
    }
  }

  @Test
  void everyCommittedSampleSurvivesSigkillMidWriteAndNumberingNeverRepeats() throws Exception {
    Path file = dir.resolve("outbox.db");
    SplittableRandom random = new SplittableRandom(20261125);
    long committedTotal = 0;
    long lastCommitted = 0;
    long acked = 0;
    for (int kill = 1; kill <= KILLS; kill++) {
      Process child = start(file);
      AtomicLong committed = new AtomicLong(-1);
      AtomicLong ackedThrough = new AtomicLong(acked);
      AtomicLong acking = new AtomicLong(acked);
      AtomicLong readyAt = new AtomicLong(-1);
      Thread reader =
          Thread.ofPlatform()
              .daemon()
              .start(() -> follow(child, committed, ackedThrough, acking, readyAt));
      await().atMost(30, TimeUnit.SECONDS).until(() -> committed.get() >= 0);
      assertThat(readyAt.get())
          .as("the restarted outbox continues after the last committed sequence")
          .isGreaterThanOrEqualTo(lastCommitted);
      long target = committed.get() + 200 + random.nextInt(400);
      await().atMost(60, TimeUnit.SECONDS).until(() -> committed.get() >= target);
      Thread.sleep(random.nextInt(50));
      child.destroyForcibly(); // SIGKILL, wherever it is
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
      reader.join(5_000);
      assertThat(child.exitValue()).isEqualTo(137);

      long firstOfRun = readyAt.get() + 1;
      committedTotal += committed.get() - firstOfRun + 1;
      lastCommitted = committed.get();
      acked = ackedThrough.get();
      long mayHaveAcked = acking.get();
      assertSound(file);
      try (SqliteOutbox outbox = SqliteOutbox.open(file, 1L << 30, n -> {})) {
        List<Long> kept =
            outbox.after(acked, Integer.MAX_VALUE).stream()
                .map(TelemetrySample::getSequence)
                .toList();
        assertThat(kept).as("after kill %d", kill).isNotEmpty();
        assertThat(kept.getFirst())
            .as("nothing committed and unacknowledged is lost")
            .isIn(acked + 1, mayHaveAcked + 1);
        acked = kept.getFirst() - 1;
        assertThat(kept.getLast()).isGreaterThanOrEqualTo(lastCommitted);
        assertThat(kept.getLast() - kept.getFirst() + 1)
            .as("contiguous, no gaps")
            .isEqualTo(kept.size());
        assertThat(outbox.lastSequence()).isEqualTo(kept.getLast());
      }
    }
    SuiteFigures.record(OutboxKillTest.class, "agent outbox writers killed with SIGKILL", KILLS);
    SuiteFigures.record(OutboxKillTest.class, "samples committed before the kills", committedTotal);
    SuiteFigures.record(OutboxKillTest.class, "committed samples lost", 0);
  }

  private static void assertSound(Path file) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("ok");
    }
  }

  private static Process start(Path file) throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    return new ProcessBuilder(
            java.toString(),
            "-XX:+UseSerialGC",
            "-Xmx64m",
            "-XX:TieredStopAtLevel=1",
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            System.getProperty("java.class.path"),
            OutboxKillTest.class.getName(),
            file.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  private static void follow(
      Process child,
      AtomicLong committed,
      AtomicLong ackedThrough,
      AtomicLong acking,
      AtomicLong readyAt) {
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = lines.readLine()) != null; ) {
        String[] w = line.split(" ");
        switch (w[0]) {
          case "ready" -> {
            readyAt.set(Long.parseLong(w[1]));
            committed.set(Long.parseLong(w[1]));
          }
          case "committed" -> committed.set(Long.parseLong(w[1]));
          case "acking" -> acking.set(Long.parseLong(w[1]));
          case "acked" -> ackedThrough.set(Long.parseLong(w[1]));
          default -> {}
        }
      }
    } catch (IOException | RuntimeException e) {
      // the child died mid-line: what was read before stands
    }
  }
}
