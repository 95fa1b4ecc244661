package io.flexrig.controller.store;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The databases the controller runs on, told apart by the JDBC URL: SQLite (a file on the
 * controller's disk, the default) or PostgreSQL (for sites that outgrow one machine).
 */
public enum Database {
  SQLITE("jdbc:sqlite:"),
  POSTGRESQL("jdbc:postgresql:");

  private final String urlPrefix;

  Database(String urlPrefix) {
    this.urlPrefix = urlPrefix;
  }

  /**
   * The database a JDBC URL points at.
   *
   * @throws IllegalArgumentException for any other URL
   */
  public static Database of(String jdbcUrl) {
    String url = jdbcUrl.toLowerCase(Locale.ROOT);
    for (Database d : values()) {
      if (url.startsWith(d.urlPrefix)) {
        return d;
      }
    }
    throw new IllegalArgumentException(
        "unsupported database URL '"
            + jdbcUrl
            + "': use jdbc:sqlite:<file> or jdbc:postgresql://host:port/db");
  }

  /** The URL of an SQLite file. */
  public static String sqliteUrl(Path file) {
    return SQLITE.urlPrefix + file.toAbsolutePath();
  }
}
