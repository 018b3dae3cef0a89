package io.fleetlens.testkit;

/**
 * A real PostgreSQL server shared by every test in this JVM. Each test asks for its own database,
 * so tests never see each other's rows.
 */
public interface PostgresFixture {

  /** A JDBC URL of a new, empty database on the server. */
  String newDatabase(String name) throws Exception;

  String user();

  String password();
}
