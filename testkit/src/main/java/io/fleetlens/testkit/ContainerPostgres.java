package io.fleetlens.testkit;

import org.testcontainers.postgresql.PostgreSQLContainer;

/** PostgreSQL in a container, for machines with a Docker engine. */
final class ContainerPostgres implements PostgresFixture, AutoCloseable {

  static final String IMAGE = "postgres:15";

  private final PostgreSQLContainer container;

  private ContainerPostgres(PostgreSQLContainer container) {
    this.container = container;
  }

  static ContainerPostgres launch() {
    PostgreSQLContainer container = new PostgreSQLContainer(IMAGE);
    container.start();
    return new ContainerPostgres(container);
  }

  @Override
  public String jdbcUrl(String database) {
    return container.getJdbcUrl().replaceAll("/[^/?]+(\\?.*)?$", "/" + database);
  }

  @Override
  public String user() {
    return container.getUsername();
  }

  @Override
  public String password() {
    return container.getPassword();
  }

  @Override
  public void close() {
    container.stop();
  }
}
