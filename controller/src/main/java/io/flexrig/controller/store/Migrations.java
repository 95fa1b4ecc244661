package io.flexrig.controller.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the versioned SQL files under {@code db/migration} in order and records each version.
 *
 * <p>A stand-in until Flyway arrives: file names follow Flyway's {@code V<n>__<name>.sql}
 * convention, and each file is applied in one transaction. Statements are split at a semicolon that
 * ends a line, which is enough for plain DDL (no triggers).
 */
public final class Migrations {

  /** Every migration, in order; a new file must be added here too (a test checks the folder). */
  public static final List<String> FILES = List.of("V1__init.sql");

  private static final Logger log = LoggerFactory.getLogger(Migrations.class);
  private static final Pattern NAME = Pattern.compile("V(\\d+)__(\\w+)\\.sql");
  private static final String LOCATION = "db/migration/";

  private Migrations() {}

  /** Brings the schema up to the newest version; returns the version now in force. */
  public static int apply(Connection connection) throws SQLException {
    try (Statement st = connection.createStatement()) {
      st.execute(
          "CREATE TABLE IF NOT EXISTS flexrig_schema_version ("
              + " version INTEGER NOT NULL PRIMARY KEY,"
              + " description TEXT NOT NULL,"
              + " script TEXT NOT NULL,"
              + " applied_at INTEGER NOT NULL)");
    }
    int current = currentVersion(connection);
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try {
      for (String file : FILES) {
        Matcher m = NAME.matcher(file);
        if (!m.matches()) {
          throw new IllegalStateException("migration file name not V<n>__<name>.sql: " + file);
        }
        int version = Integer.parseInt(m.group(1));
        if (version <= current) {
          continue;
        }
        try (Statement st = connection.createStatement()) {
          for (String sql : statements(read(file))) {
            st.execute(sql);
          }
        }
        try (PreparedStatement ps =
            connection.prepareStatement(
                "INSERT INTO flexrig_schema_version (version, description, script, applied_at)"
                    + " VALUES (?, ?, ?, ?)")) {
          ps.setInt(1, version);
          ps.setString(2, m.group(2).replace('_', ' '));
          ps.setString(3, file);
          ps.setLong(4, System.currentTimeMillis());
          ps.executeUpdate();
        }
        connection.commit();
        current = version;
        log.info("Applied schema migration {}", file);
      }
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
    return current;
  }

  static int currentVersion(Connection connection) throws SQLException {
    try (Statement st = connection.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT COALESCE(MAX(version), 0) FROM flexrig_schema_version")) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  static List<String> statements(String script) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : script.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.startsWith("--") || trimmed.isEmpty()) {
        continue;
      }
      current.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        out.add(current.toString().strip());
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      out.add(current.toString().strip());
    }
    return out;
  }

  private static String read(String file) {
    try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(LOCATION + file)) {
      if (in == null) {
        throw new IllegalStateException("migration not on the classpath: " + LOCATION + file);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read migration " + file, e);
    }
  }
}
