package io.flexrig.agent.outbox;

import com.google.protobuf.InvalidProtocolBufferException;
import io.flexrig.agent.uplink.TelemetryOutbox;
import io.flexrig.proto.v1.Alarm;
import io.flexrig.proto.v1.TelemetrySample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The durable outbox: every sample stays in an SQLite file on the board until the controller
 * acknowledged it, across agent restarts, power cuts and controller outages, and is replayed in
 * sequence order.
 *
 * <p>Nothing is dropped unless the disk budget is exhausted; then the oldest samples go first (the
 * newest state of the rig matters most to a dispatcher), each drop is counted (persisted), and the
 * drop listener hears of it so the agent can raise an alarm. Alarms are kept too (see {@link
 * #keepAlarm}), outside the budget: they are never dropped. Command acks and results are not kept
 * here (the agent's command journal owns them).
 *
 * <p>A sample is stored without its sequence (the row key carries it), so renumbering after the
 * controller turned out to hold more ({@link #continueAfter}) is one UPDATE, not a rewrite. Each
 * append is one transaction with {@code synchronous=FULL}: one fsync per sample interval, which an
 * SD card or eMMC takes easily at 1 Hz, and a sample the agent numbered is never lost to a power
 * cut.
 */
public final class SqliteOutbox implements TelemetryOutbox, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SqliteOutbox.class);

  private final Connection db;
  private final long budgetBytes;
  private final LongConsumer dropListener;
  private long lastSequence;
  private long dropped;
  private long storedBytes;
  private int size;
  private boolean diskFull;
  // Alarms that could not be written (disk full): still sent, kept until acknowledged as the rest.
  private final List<MemoryAlarm> unwrittenAlarms = new ArrayList<>();

  private record MemoryAlarm(long afterSequence, Alarm alarm) {}

  private SqliteOutbox(Connection db, long budgetBytes, LongConsumer dropListener) {
    this.db = db;
    this.budgetBytes = budgetBytes;
    this.dropListener = dropListener;
  }

  /**
   * Opens (creating if needed) the outbox file.
   *
   * @param budgetBytes most bytes of sample payload kept; past it the oldest samples are dropped
   * @param dropListener told the total drop count each time samples are dropped (e.g. to raise an
   *     alarm); called on the appending thread, must not block
   * @throws UncheckedIOException when the file cannot be opened
   */
  public static SqliteOutbox open(Path file, long budgetBytes, LongConsumer dropListener) {
    return open(file, budgetBytes, 0, dropListener);
  }

  /**
   * Opens the outbox with a hard cap on its file as well: past {@code maxFileBytes} SQLite answers
   * "database or disk is full", exactly as when the board's disk fills up, and the outbox handles
   * both the same way (see {@link #append}).
   *
   * @param maxFileBytes most bytes the database file may grow to; 0 for no cap but the disk's
   */
  public static SqliteOutbox open(
      Path file, long budgetBytes, long maxFileBytes, LongConsumer dropListener) {
    if (budgetBytes < 1024) {
      throw new IllegalArgumentException(
          "outbox disk budget must be >= 1024 bytes: " + budgetBytes);
    }
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
      try {
        SqliteOutbox outbox = new SqliteOutbox(c, budgetBytes, dropListener);
        outbox.init(maxFileBytes);
        return outbox;
      } catch (SQLException | RuntimeException e) {
        c.close();
        throw e;
      }
    } catch (SQLException e) {
      throw new UncheckedIOException(new IOException("cannot open the outbox " + file, e));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the directory of " + file, e);
    }
  }

  private void init(long maxFileBytes) throws SQLException {
    try (Statement st = db.createStatement()) {
      st.execute("PRAGMA journal_mode=WAL");
      st.execute("PRAGMA synchronous=FULL");
      if (maxFileBytes > 0) {
        long pageSize;
        try (ResultSet rs = st.executeQuery("PRAGMA page_size")) {
          pageSize = rs.next() ? rs.getLong(1) : 4096;
        }
        st.execute("PRAGMA max_page_count=" + Math.max(8, maxFileBytes / pageSize));
      }
      st.execute(
          "CREATE TABLE IF NOT EXISTS samples (sequence INTEGER NOT NULL PRIMARY KEY,"
              + " sample BLOB NOT NULL)");
      // after_sequence: the last sample numbered when the alarm was kept (see keepAlarm).
      st.execute(
          "CREATE TABLE IF NOT EXISTS alarms (alarm_id TEXT NOT NULL PRIMARY KEY,"
              + " after_sequence INTEGER NOT NULL, alarm BLOB NOT NULL)");
      st.execute(
          "CREATE TABLE IF NOT EXISTS counters (name TEXT NOT NULL PRIMARY KEY,"
              + " value INTEGER NOT NULL)");
      st.execute(
          "INSERT OR IGNORE INTO counters (name, value) VALUES ('last_sequence', 0),"
              + " ('dropped', 0)");
      lastSequence = counter(st, "last_sequence");
      dropped = counter(st, "dropped");
      try (ResultSet rs =
          st.executeQuery("SELECT COUNT(*), COALESCE(SUM(LENGTH(sample)), 0) FROM samples")) {
        rs.next();
        size = rs.getInt(1);
        storedBytes = rs.getLong(2);
      }
    }
    db.setAutoCommit(false);
  }

  private static long counter(Statement st, String name) throws SQLException {
    try (ResultSet rs = st.executeQuery("SELECT value FROM counters WHERE name = '" + name + "'")) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  @Override
  public TelemetrySample append(TelemetrySample unnumbered) {
    long droppedNow;
    TelemetrySample numbered;
    synchronized (this) {
      byte[] bytes = unnumbered.toBuilder().clearSequence().build().toByteArray();
      long sequence = lastSequence + 1;
      long before = dropped;
      try {
        int freed = 0;
        long freedBytes = 0;
        try (PreparedStatement oldest =
            db.prepareStatement(
                "SELECT sequence, LENGTH(sample) FROM samples ORDER BY sequence LIMIT 64")) {
          while (storedBytes - freedBytes + bytes.length > budgetBytes && size - freed > 0) {
            long through = -1;
            try (ResultSet rs = oldest.executeQuery()) {
              while (rs.next() && storedBytes - freedBytes + bytes.length > budgetBytes) {
                through = rs.getLong(1);
                freedBytes += rs.getLong(2);
                freed++;
              }
            }
            if (through < 0) {
              break;
            }
            delete(through);
          }
        }
        insert(sequence, bytes);
        setCounter("last_sequence", sequence);
        if (freed > 0) {
          setCounter("dropped", dropped + freed);
        }
        db.commit();
        lastSequence = sequence;
        size += 1 - freed;
        storedBytes += bytes.length - freedBytes;
        dropped += freed;
      } catch (SQLException e) {
        rollback();
        if (!isDiskFull(e)) {
          throw new UncheckedIOException(new IOException("outbox append failed", e));
        }
        appendOnFullDisk(sequence, bytes);
      }
      droppedNow = dropped > before ? dropped : 0;
      numbered = unnumbered.toBuilder().setSequence(sequence).build();
    }
    if (droppedNow > 0) {
      log.warn(
          "Outbox disk budget of {} bytes exhausted: {} samples dropped so far",
          budgetBytes,
          droppedNow);
      dropListener.accept(droppedNow);
    }
    return numbered;
  }

  /**
   * The disk (or the file cap) is full: drop the oldest tenth of the kept samples, which frees
   * their pages for reuse, and try once more. If even that fails (nothing left to drop, or the
   * deletion itself cannot be written), this sample is dropped instead. Either way the drop is
   * counted and reported, the sequence moves on, and the database stays consistent: every change is
   * one SQLite transaction, rolled back whole when it cannot be written.
   */
  private void appendOnFullDisk(long sequence, byte[] bytes) {
    if (!diskFull) {
      log.warn(
          "event=outbox_disk_full kept={} stored_bytes={} reason=\"database or disk is full;"
              + " dropping the oldest samples\"",
          size,
          storedBytes);
    }
    diskFull = true;
    try {
      int drop = Math.max(1, size / 10);
      long through = -1;
      long freedBytes = 0;
      int freed = 0;
      try (PreparedStatement ps =
          db.prepareStatement(
              "SELECT sequence, LENGTH(sample) FROM samples ORDER BY sequence LIMIT ?")) {
        ps.setInt(1, drop);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            through = rs.getLong(1);
            freedBytes += rs.getLong(2);
            freed++;
          }
        }
      }
      if (through >= 0) {
        delete(through);
        setCounter("dropped", dropped + freed);
        db.commit();
        size -= freed;
        storedBytes -= freedBytes;
        dropped += freed;
      }
      insert(sequence, bytes);
      setCounter("last_sequence", sequence);
      db.commit();
      size++;
      storedBytes += bytes.length;
    } catch (SQLException e) {
      rollback();
      dropped++; // this sample: counted in memory, persisted with the next successful write
      log.warn("event=outbox_sample_dropped sequence={} reason=\"{}\"", sequence, e.getMessage());
    }
    lastSequence = sequence;
  }

  private static boolean isDiskFull(SQLException e) {
    return e instanceof SQLiteException lite
        ? lite.getResultCode().code == SQLiteErrorCode.SQLITE_FULL.code
        : e.getErrorCode() == SQLiteErrorCode.SQLITE_FULL.code;
  }

  /** True once the disk (or the file cap) was found full since this outbox was opened. */
  public synchronized boolean diskFull() {
    return diskFull;
  }

  private void delete(long throughSequence) throws SQLException {
    try (PreparedStatement ps = db.prepareStatement("DELETE FROM samples WHERE sequence <= ?")) {
      ps.setLong(1, throughSequence);
      ps.executeUpdate();
    }
  }

  private void insert(long sequence, byte[] bytes) throws SQLException {
    try (PreparedStatement ps =
        db.prepareStatement("INSERT INTO samples (sequence, sample) VALUES (?, ?)")) {
      ps.setLong(1, sequence);
      ps.setBytes(2, bytes);
      ps.executeUpdate();
    }
  }

  private void setCounter(String name, long value) throws SQLException {
    try (PreparedStatement ps =
        db.prepareStatement("UPDATE counters SET value = ? WHERE name = ?")) {
      ps.setLong(1, value);
      ps.setString(2, name);
      ps.executeUpdate();
    }
  }

  @Override
  public synchronized long lastSequence() {
    return lastSequence;
  }

  @Override
  public synchronized List<TelemetrySample> after(long sequence, int max) {
    List<TelemetrySample> out = new ArrayList<>(Math.min(max, Math.max(size, 0)));
    try (PreparedStatement ps =
        db.prepareStatement(
            "SELECT sequence, sample FROM samples WHERE sequence > ? ORDER BY sequence LIMIT ?")) {
      ps.setLong(1, sequence);
      ps.setInt(2, max);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              TelemetrySample.parseFrom(rs.getBytes(2)).toBuilder()
                  .setSequence(rs.getLong(1))
                  .build());
        }
      }
      db.commit(); // ends the read transaction so WAL checkpoints can proceed
    } catch (SQLException | InvalidProtocolBufferException e) {
      rollback();
      throw new UncheckedIOException(new IOException("outbox read failed", e));
    }
    return out;
  }

  @Override
  public synchronized void ackThrough(long sequence) {
    try {
      long freedBytes;
      int freed;
      try (PreparedStatement ps =
          db.prepareStatement(
              "SELECT COUNT(*), COALESCE(SUM(LENGTH(sample)), 0) FROM samples WHERE sequence <= ?")) {
        ps.setLong(1, sequence);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          freed = rs.getInt(1);
          freedBytes = rs.getLong(2);
        }
      }
      try (PreparedStatement ps =
          db.prepareStatement("DELETE FROM alarms WHERE after_sequence < ?")) {
        ps.setLong(1, sequence);
        ps.executeUpdate();
      }
      unwrittenAlarms.removeIf(m -> m.afterSequence() < sequence);
      if (freed == 0) {
        db.commit();
        return;
      }
      delete(sequence);
      db.commit();
      size -= freed;
      storedBytes -= freedBytes;
    } catch (SQLException e) {
      rollback();
      throw new UncheckedIOException(new IOException("outbox ack failed", e));
    }
  }

  @Override
  public synchronized void continueAfter(long storedThrough) {
    if (storedThrough <= lastSequence) {
      return;
    }
    try {
      long first;
      try (Statement st = db.createStatement();
          ResultSet rs = st.executeQuery("SELECT MIN(sequence) FROM samples")) {
        rs.next();
        first = rs.getLong(1);
        if (rs.wasNull()) {
          first = lastSequence + 1;
        }
      }
      long offset = storedThrough + 1 - first;
      try (Statement st = db.createStatement()) {
        // Through negative keys, so no row collides with another mid-update; order is kept.
        st.executeUpdate("UPDATE samples SET sequence = -(sequence + " + offset + ")");
        st.executeUpdate("UPDATE samples SET sequence = -sequence");
      }
      long last = Math.max(storedThrough, lastSequence + offset);
      setCounter("last_sequence", last);
      db.commit();
      lastSequence = last;
    } catch (SQLException e) {
      rollback();
      throw new UncheckedIOException(new IOException("outbox renumbering failed", e));
    }
  }

  @Override
  public synchronized int size() {
    return size;
  }

  @Override
  public synchronized long dropped() {
    return dropped;
  }

  @Override
  public synchronized void keepAlarm(Alarm alarm) {
    if (alarm.getAlarmId().isEmpty()) {
      return; // the controller does not store alarms without an id either
    }
    try (PreparedStatement ps =
        db.prepareStatement(
            "INSERT OR IGNORE INTO alarms (alarm_id, after_sequence, alarm) VALUES (?, ?, ?)")) {
      ps.setString(1, alarm.getAlarmId());
      ps.setLong(2, lastSequence);
      ps.setBytes(3, alarm.toByteArray());
      ps.executeUpdate();
      db.commit();
    } catch (SQLException e) {
      rollback();
      if (!isDiskFull(e)) {
        throw new UncheckedIOException(new IOException("outbox cannot keep the alarm", e));
      }
      // Never dropped: an alarm is often about this very disk. Kept in memory until acknowledged.
      diskFull = true;
      unwrittenAlarms.add(new MemoryAlarm(lastSequence, alarm));
    }
  }

  @Override
  public synchronized List<Alarm> pendingAlarms() {
    List<Alarm> out = new ArrayList<>();
    try (Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("SELECT alarm FROM alarms ORDER BY rowid")) {
      while (rs.next()) {
        out.add(Alarm.parseFrom(rs.getBytes(1)));
      }
      db.commit();
      unwrittenAlarms.forEach(m -> out.add(m.alarm()));
    } catch (SQLException | InvalidProtocolBufferException e) {
      rollback();
      throw new UncheckedIOException(new IOException("outbox cannot read alarms", e));
    }
    return out;
  }

  /** Bytes of sample payload kept (what the disk budget counts). */
  public synchronized long storedBytes() {
    return storedBytes;
  }

  private void rollback() {
    try {
      db.rollback();
    } catch (SQLException e) {
      // SQLite rolls a transaction back by itself on some errors (SQLITE_FULL among them); the
      // driver's ROLLBACK then fails before it opens the next transaction, and every later
      // statement would commit on its own. Open it here so each change stays one transaction.
      try (Statement st = db.createStatement()) {
        st.execute("BEGIN");
      } catch (SQLException alreadyOpen) {
        log.warn("Outbox rollback failed", e);
      }
    }
  }

  @Override
  public synchronized void close() {
    try {
      db.close();
    } catch (SQLException e) {
      log.warn("Closing the outbox failed", e);
    }
  }
}
