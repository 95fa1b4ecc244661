package io.flexrig.controller.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes to the database, with two lanes.
 *
 * <p>Callers (gRPC callbacks, the event runner) never touch the disk: they queue a task and get a
 * future that completes after the transaction holding it committed.
 *
 * <ul>
 *   <li>The <b>control</b> lane ({@link #submit}) carries events, commands, command acks and
 *       results, alarms and audit entries. Its own bounded queue is always written first, in a
 *       transaction of its own, so a grid operator's event never waits behind a telemetry flood nor
 *       is refused because telemetry filled a queue.
 *   <li>The <b>bulk</b> lane ({@link #submitRows}, {@link #submitBulk}) carries telemetry, rig
 *       registrations and the steps of the telemetry rollup (queued one after another, so they take
 *       turns with the agents' batches). Whatever is queued is drained into one transaction (up to
 *       {@code maxBulkRows} rows); the rows of all its tasks for one table go out as multi-row
 *       {@code INSERT}s, so a thousand agents' batches cost a few statements and one fsync. The
 *       futures of a bulk transaction are completed by a separate thread, in commit order, so
 *       sending the telemetry acks (protobuf, gRPC, Netty) does not take the writer's time.
 * </ul>
 *
 * <p>A failing transaction is retried task by task so one bad task cannot fail its neighbours.
 * Queues are bounded: when a lane is full, the submit fails at once and the caller sheds load or
 * retries later.
 */
public final class StoreWriter implements AutoCloseable {

  /** One unit of work, run inside the writer's transaction. */
  @FunctionalInterface
  public interface Task {
    void apply(Statements statements) throws SQLException;
  }

  /**
   * Rows of one table that the writer may merge with other tasks' rows into multi-row {@code INSERT
   * ... VALUES (..), (..) <conflict clause>} statements. Use one instance per table (the writer
   * groups rows by instance).
   *
   * @param <R> the row type
   */
  public interface RowTable<R> {
    /** The statement up to and including {@code VALUES}. */
    String head();

    /** Number of placeholders per row. */
    int columns();

    /** What follows the rows, e.g. {@code ON CONFLICT (a, b) DO NOTHING}. */
    String tail();

    /** Binds one row's values at parameters {@code offset + 1 .. offset + columns()}. */
    void bind(PreparedStatement ps, int offset, R row) throws SQLException;
  }

  /** The lane's queue was full: nothing was queued; the caller may retry later. */
  public static final class LaneFull extends RejectedExecutionException {
    LaneFull(String lane) {
      super("store " + lane + " write queue full");
    }

    // Thrown at every refused offer under overload, always from the same place: no stack trace.
    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }

  private static final LaneFull CONTROL_FULL = new LaneFull("control");
  private static final LaneFull BULK_FULL = new LaneFull("bulk");

  /** Opens a fresh connection when the old one broke (a PostgreSQL restart, a network cut). */
  @FunctionalInterface
  interface Reconnect {
    Connection open() throws SQLException;
  }

  /** Rows per multi-row statement: 256 x 11 columns stays far below both databases' limits. */
  static final int ROWS_PER_STATEMENT = 256;

  /** Prepared statements of the writer's connection, cached by SQL text. */
  public static final class Statements {
    private Connection connection;
    private final Map<String, PreparedStatement> cache = new HashMap<>();

    Statements(Connection connection) {
      this.connection = connection;
    }

    public PreparedStatement get(String sql) throws SQLException {
      PreparedStatement ps = cache.get(sql);
      if (ps == null) {
        ps = connection.prepareStatement(sql);
        cache.put(sql, ps);
      }
      return ps;
    }

    void closeAll() {
      for (PreparedStatement ps : cache.values()) {
        try {
          ps.close();
        } catch (SQLException ignored) {
          // closing anyway
        }
      }
      cache.clear();
    }
  }

  /** A queued write; {@code table}/{@code rows} set for row tasks, {@code task} otherwise. */
  private record Pending(
      String what, Task task, RowTable<Object> table, List<?> rows, CompletableFuture<Void> done) {
    int rowCount() {
      return rows == null ? 1 : rows.size();
    }
  }

  private static final Logger log = LoggerFactory.getLogger(StoreWriter.class);

  private Connection connection;
  private final Statements statements;
  private final Reconnect reconnect;
  private final BlockingQueue<Pending> control;
  private final BlockingQueue<Pending> bulk;
  // One permit per queued task (either lane): the writer sleeps on it when both lanes are empty.
  private final Semaphore queued = new Semaphore(0);
  private final int maxControlBatch;
  private final int maxBulkRows;
  private final Thread thread;
  private final CommitNotifier notifier;
  private volatile boolean accepting = true;
  private volatile boolean stopping;

  /**
   * @param controlCapacity bound of the control lane's queue (tasks)
   * @param bulkCapacity bound of the bulk lane's queue (tasks)
   * @param maxBulkRows rows per bulk transaction (the transaction ends after the task crossing it)
   * @param reconnect opens a new connection when a write fails on a broken one; null to never
   */
  StoreWriter(
      Connection connection,
      int controlCapacity,
      int bulkCapacity,
      int maxBulkRows,
      Reconnect reconnect)
      throws SQLException {
    this.reconnect = reconnect;
    this.connection = connection;
    this.connection.setAutoCommit(false);
    this.statements = new Statements(connection);
    this.control = new ArrayBlockingQueue<>(controlCapacity);
    this.bulk = new ArrayBlockingQueue<>(bulkCapacity);
    this.maxControlBatch = Math.min(controlCapacity, 4_096);
    this.maxBulkRows = maxBulkRows;
    this.notifier = new CommitNotifier();
    this.thread = Thread.ofPlatform().name("store-writer").daemon(true).unstarted(this::run);
    this.thread.start();
  }

  /**
   * Queues a control-lane task (written before any queued telemetry); the future completes after
   * its transaction committed, or exceptionally with {@link RejectedExecutionException} when the
   * lane is full or the writer closed.
   */
  public CompletableFuture<Void> submit(String what, Task task) {
    return offer(control, new Pending(what, task, null, null, new CompletableFuture<>()));
  }

  /** Queues a bulk-lane task that is not a plain row insert (e.g. an upsert with children). */
  public CompletableFuture<Void> submitBulk(String what, Task task) {
    return offer(bulk, new Pending(what, task, null, null, new CompletableFuture<>()));
  }

  /**
   * Queues rows for a multi-row insert on the bulk lane. The future completes, on the writer's
   * commit thread and in commit order, after the transaction holding them committed.
   */
  @SuppressWarnings("unchecked")
  public <R> CompletableFuture<Void> submitRows(String what, RowTable<R> table, List<R> rows) {
    return offer(
        bulk, new Pending(what, null, (RowTable<Object>) table, rows, new CompletableFuture<>()));
  }

  private CompletableFuture<Void> offer(BlockingQueue<Pending> lane, Pending p) {
    if (!accepting) {
      p.done.completeExceptionally(new RejectedExecutionException("store writer closed"));
    } else if (!lane.offer(p)) {
      p.done.completeExceptionally(lane == control ? CONTROL_FULL : BULK_FULL);
    } else {
      queued.release();
    }
    return p.done;
  }

  /** True when the bulk lane cannot take another task now (a cheap check before building one). */
  public boolean bulkFull() {
    return bulk.remainingCapacity() == 0;
  }

  /** Tasks waiting to be written, both lanes (for metrics and tests). */
  public int backlog() {
    return control.size() + bulk.size();
  }

  private void run() {
    List<Pending> batch = new ArrayList<>();
    while (true) {
      try {
        if (!queued.tryAcquire(100, TimeUnit.MILLISECONDS)) {
          if (stopping && control.isEmpty() && bulk.isEmpty()) {
            break;
          }
          continue;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      queued.drainPermits();
      // Drain both lanes; the control lane is looked at again before every bulk transaction.
      while (!control.isEmpty() || !bulk.isEmpty()) {
        // Control writes that arrived while one was written go next, still before any telemetry.
        while (control.drainTo(batch, maxControlBatch) > 0) {
          write(batch, false);
          batch.clear();
        }
        int rows = 0;
        for (Pending p; rows < maxBulkRows && (p = bulk.poll()) != null; ) {
          batch.add(p);
          rows += p.rowCount();
        }
        if (!batch.isEmpty()) {
          write(batch, true);
          batch.clear();
        }
      }
    }
    notifier.close();
    statements.closeAll();
    try {
      connection.close();
    } catch (SQLException e) {
      log.warn("Closing the writer connection failed", e);
    }
  }

  private void write(List<Pending> batch, boolean viaNotifier) {
    write(batch, viaNotifier, true);
  }

  private void write(List<Pending> batch, boolean viaNotifier, boolean mayReconnect) {
    try {
      apply(batch);
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      rollback();
      if (mayReconnect && reconnectIfBroken()) {
        // The batch never committed (the connection died first): write it again on the new one.
        write(batch, viaNotifier, false);
        return;
      }
      if (batch.size() == 1) {
        Pending p = batch.get(0);
        log.warn("Store write '{}' failed", p.what, e);
        finish(List.of(p), e, viaNotifier);
        return;
      }
      for (Pending p : batch) {
        write(List.of(p), viaNotifier, mayReconnect);
      }
      return;
    }
    finish(batch, null, viaNotifier);
  }

  // Completes after commit: control futures here (rare, their callbacks are short), bulk futures
  // on the notifier thread so that telemetry acks are sent beside the writer, not by it.
  private void finish(List<Pending> batch, Throwable failure, boolean viaNotifier) {
    if (viaNotifier) {
      notifier.complete(List.copyOf(batch), failure);
    } else {
      complete(batch, failure);
    }
  }

  private static void complete(List<Pending> batch, Throwable failure) {
    for (Pending p : batch) {
      if (failure == null) {
        p.done.complete(null);
      } else {
        p.done.completeExceptionally(failure);
      }
    }
  }

  /** Runs the batch's tasks; rows of the same table are merged into multi-row statements. */
  private void apply(List<Pending> batch) throws SQLException {
    Map<RowTable<Object>, List<Object>> rowsByTable = null;
    for (Pending p : batch) {
      if (p.table == null) {
        p.task.apply(statements);
        continue;
      }
      if (rowsByTable == null) {
        rowsByTable = new IdentityHashMap<>();
      }
      rowsByTable.computeIfAbsent(p.table, t -> new ArrayList<>()).addAll(p.rows);
    }
    if (rowsByTable != null) {
      for (var e : rowsByTable.entrySet()) {
        insertRows(e.getKey(), e.getValue());
      }
    }
  }

  /**
   * Full statements of {@link #ROWS_PER_STATEMENT} rows, then the rest in power-of-two pieces, so
   * at most nine statement shapes per table are ever prepared and cached.
   */
  private void insertRows(RowTable<Object> table, List<Object> rows) throws SQLException {
    int i = 0;
    int n = rows.size();
    while (i < n) {
      int size = Math.min(ROWS_PER_STATEMENT, Integer.highestOneBit(n - i));
      PreparedStatement ps = statements.get(multiRowSql(table, size));
      int cols = table.columns();
      for (int r = 0; r < size; r++) {
        table.bind(ps, r * cols, rows.get(i + r));
      }
      ps.executeUpdate();
      i += size;
    }
  }

  private final Map<RowTable<?>, String[]> sqlBySize = new IdentityHashMap<>();

  private String multiRowSql(RowTable<?> table, int rows) {
    String[] bySize =
        sqlBySize.computeIfAbsent(
            table, t -> new String[Integer.numberOfTrailingZeros(ROWS_PER_STATEMENT) + 1]);
    int slot = Integer.numberOfTrailingZeros(rows);
    if (bySize[slot] == null) {
      StringBuilder row = new StringBuilder("(");
      for (int c = 0; c < table.columns(); c++) {
        row.append(c == 0 ? "?" : ", ?");
      }
      row.append(')');
      StringBuilder sql = new StringBuilder(table.head()).append(' ');
      for (int r = 0; r < rows; r++) {
        if (r > 0) {
          sql.append(", ");
        }
        sql.append(row);
      }
      bySize[slot] = sql.append(' ').append(table.tail()).toString();
    }
    return bySize[slot];
  }

  /** True when the connection was broken and a new one is in place. */
  private boolean reconnectIfBroken() {
    if (reconnect == null) {
      return false;
    }
    try {
      if (connection.isValid(2)) {
        return false;
      }
    } catch (SQLException e) {
      // treat as broken
    }
    log.warn("Store connection lost; reconnecting");
    statements.closeAll();
    try {
      connection.close();
    } catch (SQLException ignored) {
      // it is gone anyway
    }
    try {
      Connection fresh = reconnect.open();
      fresh.setAutoCommit(false);
      connection = fresh;
      statements.connection = fresh;
      return true;
    } catch (SQLException e) {
      log.warn("Reconnecting to the store failed", e);
      return false;
    }
  }

  private void rollback() {
    try {
      connection.rollback();
    } catch (SQLException e) {
      log.warn("Rollback failed", e);
    }
  }

  /** Stops accepting, writes what is queued (bounded wait) and stops the thread. */
  @Override
  public void close() {
    accepting = false;
    stopping = true;
    queued.release();
    try {
      thread.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      log.warn("Store writer did not finish within 10 s; {} writes dropped", backlog());
      thread.interrupt();
    }
    RejectedExecutionException closed = new RejectedExecutionException("store writer closed");
    for (Pending p; (p = control.poll()) != null; ) {
      p.done.completeExceptionally(closed);
    }
    for (Pending p; (p = bulk.poll()) != null; ) {
      p.done.completeExceptionally(closed);
    }
    notifier.awaitStopped();
  }

  /**
   * Completes bulk futures after commit on its own thread, batch after batch in commit order (a
   * session's acks rely on that order). Its queue is bounded: when the callbacks fall behind, the
   * writer waits, which slows intake instead of growing memory.
   */
  private static final class CommitNotifier {
    private record Done(List<Pending> batch, Throwable failure) {}

    private static final Done STOP = new Done(List.of(), null);

    private final BlockingQueue<Done> queue = new ArrayBlockingQueue<>(256);
    private final Thread thread;

    CommitNotifier() {
      thread = Thread.ofPlatform().name("store-commits").daemon(true).unstarted(this::run);
      thread.start();
    }

    void complete(List<Pending> batch, Throwable failure) {
      try {
        queue.put(new Done(batch, failure));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        StoreWriter.complete(batch, failure); // on the way out: complete here rather than never
      }
    }

    private void run() {
      while (true) {
        Done d;
        try {
          d = queue.take();
        } catch (InterruptedException e) {
          return;
        }
        if (d == STOP) {
          return;
        }
        try {
          StoreWriter.complete(d.batch, d.failure);
        } catch (RuntimeException e) {
          log.warn("A commit callback failed", e);
        }
      }
    }

    void close() {
      try {
        queue.put(STOP);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    void awaitStopped() {
      try {
        thread.join(Duration.ofSeconds(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
