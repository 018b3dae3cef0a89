package io.fleetlens.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Locale;

/**
 * A real PostgreSQL server shared by every test in this JVM. Each test asks for its own database,
 * so tests never see each other's rows.
 */
public interface PostgresFixture {

  /** The JDBC URL of one database on the server. */
  String jdbcUrl(String database);

  String user();

  String password();

  /** A JDBC URL of a new, empty database on the server, named after {@code name}. */
  default String newDatabase(String name) throws Exception {
    String database = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_") + "_" + System.nanoTime();
    try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), user(), password());
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + database);
    }
    return jdbcUrl(database);
  }
}
