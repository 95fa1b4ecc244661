package io.flexrig.controller.store;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a database's schema up to date with Flyway, from {@code db/migration/V<n>__<name>.sql}.
 *
 * <p>One set of files for SQLite and PostgreSQL: they use only types both read alike, and the one
 * difference (SQLite's {@code WITHOUT ROWID} for the telemetry table) is a Flyway placeholder. A
 * database made by the pre-Flyway runner (table {@code flexrig_schema_version}, version 1) is
 * baselined at version 1, so its data stays and only newer migrations run.
 */
public final class Migrations {

  private static final Logger log = LoggerFactory.getLogger(Migrations.class);
  static final String LOCATION = "classpath:db/migration";
  static final String HISTORY_TABLE = "flyway_schema_history";
  private static final String LEGACY_TABLE = "flexrig_schema_version";

  private Migrations() {}

  /**
   * Migrates the database at {@code jdbcUrl}; returns the schema version now in force.
   *
   * @throws StoreException when the database cannot be reached or a migration fails
   */
  public static String apply(String jdbcUrl) {
    Database database = Database.of(jdbcUrl);
    try {
      boolean legacy = hasLegacyHistory(jdbcUrl);
      var config =
          Flyway.configure(Migrations.class.getClassLoader())
              .dataSource(jdbcUrl, null, null)
              .locations(LOCATION)
              .table(HISTORY_TABLE)
              .placeholders(
                  Map.of("key_only_table", database == Database.SQLITE ? "WITHOUT ROWID" : ""))
              .cleanDisabled(true);
      if (legacy) {
        config.baselineOnMigrate(true).baselineVersion("1");
        log.info("Database made before Flyway: baselined at version 1");
      }
      MigrateResult result = config.load().migrate();
      if (result.migrationsExecuted > 0) {
        log.info(
            "Applied {} schema migration(s) on {}, now at version {}",
            result.migrationsExecuted,
            database,
            result.targetSchemaVersion);
      }
      String version = config.load().info().current().getVersion().getVersion();
      return version;
    } catch (FlywayException e) {
      throw new StoreException("cannot migrate the database " + redacted(jdbcUrl), e);
    } catch (SQLException e) {
      throw new StoreException("cannot open the database " + redacted(jdbcUrl), e);
    }
  }

  private static boolean hasLegacyHistory(String jdbcUrl) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl)) {
      return tableExists(c, LEGACY_TABLE) && !tableExists(c, HISTORY_TABLE);
    }
  }

  private static boolean tableExists(Connection c, String table) throws SQLException {
    DatabaseMetaData meta = c.getMetaData();
    for (String name : new String[] {table, table.toUpperCase(java.util.Locale.ROOT)}) {
      try (ResultSet rs = meta.getTables(null, null, name, new String[] {"TABLE"})) {
        if (rs.next()) {
          return true;
        }
      }
    }
    return false;
  }

  /** The URL without its query (PostgreSQL URLs may carry a password). */
  static String redacted(String jdbcUrl) {
    int q = jdbcUrl.indexOf('?');
    return q < 0 ? jdbcUrl : jdbcUrl.substring(0, q) + "?…";
  }
}
