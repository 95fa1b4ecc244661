package io.flexrig.bench.outbox;

import com.google.protobuf.Timestamp;
import io.flexrig.agent.outbox.SqliteOutbox;
import io.flexrig.bench.Machine;
import io.flexrig.proto.v1.Quality;
import io.flexrig.proto.v1.Reading;
import io.flexrig.proto.v1.RigState;
import io.flexrig.proto.v1.TelemetrySample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The agent's durable outbox ({@link SqliteOutbox}) on this machine's disk: bytes per sample on
 * disk, append rate (one fsync'd transaction per sample, as the agent appends), and the replay rate
 * after an outage: the agent reopens the file holding the backlog and reads it in batches, each
 * acknowledged before the next is read, exactly the calls its uplink makes while catching up.
 *
 * <p>Samples look like the demo agent's: power, hashrate, chip temperature and grid frequency with
 * qualities, plus six named readings with units and timestamps.
 *
 * <pre>
 * java -cp bench/target/flexrig-benchmarks.jar io.flexrig.bench.outbox.OutboxBench
 *     [--samples 5000] [--batch 500] [--dir /tmp/...]
 * </pre>
 */
public final class OutboxBench {

  private OutboxBench() {}

  public static void main(String[] args) throws IOException {
    int samples = 5_000;
    int batch = 500;
    int backlog = 86_400;
    Path dir = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--samples" -> samples = Integer.parseInt(args[++i]);
        case "--batch" -> batch = Integer.parseInt(args[++i]);
        case "--backlog" -> backlog = Integer.parseInt(args[++i]);
        case "--dir" -> dir = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Machine.print("OutboxBench (agent's SqliteOutbox, SQLite WAL, synchronous=FULL)");
    Path work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("outbox");
    System.out.printf(
        "settings: samples appended=%d, replay backlog=%d, replay batch=%d, files in %s (%s)%n",
        samples, backlog, batch, work, Files.getFileStore(work).type());
    try {
      run(work.resolve("outbox.db"), samples, batch);
      Path big = work.resolve("backlog.db");
      prefill(big, backlog);
      System.out.printf(
          "backlog: %,d samples (a day at 1 Hz) written in the outbox's own schema in one"
              + " transaction; %,d bytes on disk%n",
          backlog, filesSize(big));
      replay(big, batch);
    } finally {
      deleteTree(work);
    }
  }

  private static void run(Path file, int samples, int batch) throws IOException {
    long payload;
    long appendNanos;
    try (SqliteOutbox outbox = SqliteOutbox.open(file, 1L << 40, dropped -> {})) {
      long t0 = System.nanoTime();
      for (int i = 0; i < samples; i++) {
        outbox.append(sample(i));
      }
      appendNanos = System.nanoTime() - t0;
      payload = outbox.storedBytes();
    }
    // Closing the last connection checkpoints the WAL into the main file and removes it.
    long onDisk = filesSize(file);
    System.out.printf(
        "append: %,d samples in %.1f s -> %,.0f samples/s (one fsync'd transaction each);"
            + " load average %s%n",
        samples, appendNanos / 1e9, samples / (appendNanos / 1e9), Machine.loadAverage());
    System.out.printf(
        "disk: %,d bytes for %,d samples -> %.1f bytes/sample on disk"
            + " (protobuf payload %.1f bytes/sample, SQLite overhead %.0f %%)%n",
        onDisk,
        samples,
        onDisk / (double) samples,
        payload / (double) samples,
        100.0 * (onDisk - payload) / payload);

    replay(file, batch);
  }

  /** The outage is over: a fresh process opens the backlog and replays it in order. */
  private static void replay(Path file, int batch) {
    long t0 = System.nanoTime();
    long replayed = 0;
    long through = 0;
    try (SqliteOutbox outbox = SqliteOutbox.open(file, 1L << 40, dropped -> {})) {
      while (true) {
        List<TelemetrySample> next = outbox.after(through, batch);
        if (next.isEmpty()) {
          break;
        }
        replayed += next.size();
        through = next.getLast().getSequence();
        outbox.ackThrough(through);
      }
      long nanos = System.nanoTime() - t0;
      System.out.printf(
          "replay: %,d samples read and acknowledged in batches of %d in %.2f s -> %,.0f"
              + " samples/s (reopen included; no network); left %d; load average %s%n",
          replayed,
          batch,
          nanos / 1e9,
          replayed / (nanos / 1e9),
          outbox.size(),
          Machine.loadAverage());
    }
  }

  /**
   * Writes a backlog the way {@link SqliteOutbox#append} stores it (payload without its sequence,
   * keyed by sequence; the last sequence in the counters table) but in one transaction: appending a
   * day of samples with one fsync each would take minutes on this disk.
   */
  private static void prefill(Path file, int samples) {
    SqliteOutbox.open(file, 1L << 40, dropped -> {}).close(); // creates the schema
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath())) {
      c.setAutoCommit(false);
      try (PreparedStatement ps =
          c.prepareStatement("INSERT INTO samples (sequence, sample) VALUES (?, ?)")) {
        for (int i = 0; i < samples; i++) {
          ps.setLong(1, i + 1);
          ps.setBytes(2, sample(i).toByteArray());
          ps.addBatch();
          if (i % 1000 == 999) {
            ps.executeBatch();
          }
        }
        ps.executeBatch();
      }
      try (PreparedStatement ps =
          c.prepareStatement("UPDATE counters SET value = ? WHERE name = 'last_sequence'")) {
        ps.setLong(1, samples);
        ps.executeUpdate();
      }
      c.commit();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot prefill " + file, e);
    }
  }

  static TelemetrySample sample(int i) {
    long ms = 1_795_000_000_000L + i * 1000L;
    Timestamp t = Timestamp.newBuilder().setSeconds(ms / 1000).setNanos(0).build();
    double power = 3_250 + (i % 17) * 3.5;
    TelemetrySample.Builder b =
        TelemetrySample.newBuilder()
            .setSampledAt(t)
            .setPowerW(power)
            .setPowerQuality(Quality.QUALITY_GOOD)
            .setHashrateThs(104.2 + (i % 7) * 0.1)
            .setHashrateQuality(Quality.QUALITY_GOOD)
            .setChipTempMaxC(71 + (i % 5))
            .setChipTempQuality(Quality.QUALITY_GOOD)
            .setGridFrequencyHz(59.98 + (i % 5) * 0.01)
            .setGridFrequencyQuality(Quality.QUALITY_GOOD)
            .setState(RigState.RIG_STATE_RUNNING)
            .setPowerTargetW(0);
    b.addReadings(reading("outlet_power", power, "W", t));
    b.addReadings(reading("dc_power", power * 0.94, "W", t));
    b.addReadings(reading("grid_frequency", 59.98 + (i % 5) * 0.01, "Hz", t));
    b.addReadings(reading("miner.hashrate_5s", 104.2, "TH/s", t));
    b.addReadings(reading("miner.chip_temp_max", 71 + (i % 5), "C", t));
    b.addReadings(reading("miner.fan1", 4200 + (i % 11) * 10, "rpm", t));
    return b.build();
  }

  private static Reading reading(String name, double value, String unit, Timestamp at) {
    return Reading.newBuilder()
        .setName(name)
        .setValue(value)
        .setUnit(unit)
        .setQuality(Quality.QUALITY_GOOD)
        .setReadAt(at)
        .build();
  }

  private static long filesSize(Path db) throws IOException {
    long total = 0;
    for (String suffix : new String[] {"", "-wal", "-shm"}) {
      Path p = db.resolveSibling(db.getFileName() + suffix);
      if (Files.exists(p)) {
        total += Files.size(p);
      }
    }
    return total;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
