package io.fleetlens.testkit;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import io.fleetlens.devservers.LocalPostgres;

/** The machine's own PostgreSQL (Debian's package), run from a fresh data folder. */
final class LocalPostgresFixture implements PostgresFixture, AutoCloseable {

  private final LocalPostgres server;

  private LocalPostgresFixture(LocalPostgres server) {
    this.server = server;
  }

  static LocalPostgresFixture launch(Path workDir) {
    try {
      return new LocalPostgresFixture(LocalPostgres.start(workDir));
    } catch (Exception e) {
      throw new IllegalStateException("cannot start PostgreSQL: " + e.getMessage(), e);
    }
  }

  @Override
  public String newDatabase(String name) throws Exception {
    String database = name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_") + "_" + System.nanoTime();
    try (Connection c = DriverManager.getConnection(server.jdbcUrl("postgres"), user(), password());
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + database);
    }
    return server.jdbcUrl(database);
  }

  @Override
  public String user() {
    return LocalPostgres.USER;
  }

  @Override
  public String password() {
    return "";
  }

  @Override
  public void close() throws InterruptedException {
    server.close();
  }
}
