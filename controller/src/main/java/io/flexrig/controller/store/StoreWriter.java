package io.flexrig.controller.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes to the database.
 *
 * <p>Callers (gRPC callbacks, the event runner) never touch the disk: they queue a task and get a
 * future that completes after the transaction holding it committed. The thread drains whatever is
 * queued (up to a batch limit) into one transaction, so a thousand agents' telemetry costs one
 * fsync, not a thousand. A failing task is retried alone so it cannot fail its neighbours. The
 * queue is bounded: when full, {@link #submit} fails at once and the caller sheds load.
 */
public final class StoreWriter implements AutoCloseable {

  /** One unit of work, run inside the writer's transaction. */
  @FunctionalInterface
  public interface Task {
    void apply(Statements statements) throws SQLException;
  }

  /** Opens a fresh connection when the old one broke (a PostgreSQL restart, a network cut). */
  @FunctionalInterface
  interface Reconnect {
    Connection open() throws SQLException;
  }

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

  private record Pending(String what, Task task, CompletableFuture<Void> done) {}

  private static final Logger log = LoggerFactory.getLogger(StoreWriter.class);
  private static final Pending STOP = new Pending("stop", s -> {}, new CompletableFuture<>());

  private Connection connection;
  private final Statements statements;
  private final Reconnect reconnect;
  private final BlockingQueue<Pending> queue;
  private final int maxBatch;
  private final Thread thread;
  private volatile boolean accepting = true;

  StoreWriter(Connection connection, int capacity, int maxBatch) throws SQLException {
    this(connection, capacity, maxBatch, null);
  }

  /**
   * @param reconnect opens a new connection when a write fails on a broken one; null to never
   */
  StoreWriter(Connection connection, int capacity, int maxBatch, Reconnect reconnect)
      throws SQLException {
    this.reconnect = reconnect;
    this.connection = connection;
    this.connection.setAutoCommit(false);
    this.statements = new Statements(connection);
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.maxBatch = maxBatch;
    this.thread = Thread.ofPlatform().name("store-writer").daemon(true).unstarted(this::run);
    this.thread.start();
  }

  /**
   * Queues a task; the future completes after its transaction committed, or exceptionally with
   * {@link RejectedExecutionException} when the queue is full or the writer closed.
   */
  public CompletableFuture<Void> submit(String what, Task task) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (!accepting || !queue.offer(new Pending(what, task, done))) {
      done.completeExceptionally(
          new RejectedExecutionException(
              accepting ? "store write queue full" : "store writer closed"));
    }
    return done;
  }

  /** Tasks waiting to be written (for metrics and tests). */
  public int backlog() {
    return queue.size();
  }

  private void run() {
    List<Pending> batch = new ArrayList<>(maxBatch);
    boolean stop = false;
    while (!stop) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      queue.drainTo(batch, maxBatch - 1);
      if (batch.remove(STOP)) {
        stop = true;
        queue.drainTo(batch);
        batch.remove(STOP);
      }
      if (!batch.isEmpty()) {
        write(batch);
      }
      batch.clear();
    }
    statements.closeAll();
    try {
      connection.close();
    } catch (SQLException e) {
      log.warn("Closing the writer connection failed", e);
    }
  }

  private void write(List<Pending> batch) {
    write(batch, true);
  }

  private void write(List<Pending> batch, boolean mayReconnect) {
    try {
      for (Pending p : batch) {
        p.task.apply(statements);
      }
      connection.commit();
      for (Pending p : batch) {
        p.done.complete(null);
      }
    } catch (SQLException | RuntimeException e) {
      rollback();
      if (mayReconnect && reconnectIfBroken()) {
        // The batch never committed (the connection died first): write it again on the new one.
        write(batch, false);
        return;
      }
      if (batch.size() == 1) {
        Pending p = batch.get(0);
        log.warn("Store write '{}' failed", p.what, e);
        p.done.completeExceptionally(e);
        return;
      }
      for (Pending p : batch) {
        write(List.of(p), mayReconnect);
      }
    }
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
    try {
      queue.put(STOP);
      thread.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      log.warn("Store writer did not finish within 10 s; {} writes dropped", queue.size());
      thread.interrupt();
    }
    for (Pending p; (p = queue.poll()) != null; ) {
      p.done.completeExceptionally(new RejectedExecutionException("store writer closed"));
    }
  }
}
