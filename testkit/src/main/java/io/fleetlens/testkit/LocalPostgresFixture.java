package io.fleetlens.testkit;

import java.nio.file.Path;

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
  public String jdbcUrl(String database) {
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
