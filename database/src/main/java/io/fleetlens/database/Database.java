package io.fleetlens.database;

import java.util.Map;

import org.flywaydb.core.Flyway;

import io.micronaut.context.ApplicationContext;

/**
 * Opens the relational database for one module (pricing, alerting, access): brings the module's
 * schema up to date with its own Flyway migrations and history table, so several modules share
 * one database without knowing of each other, then starts Micronaut Data on it. H2 in PostgreSQL
 * mode or PostgreSQL; the same SQL runs on both.
 */
public final class Database {

  private Database() {
  }

  /**
   * @param migrations the classpath folder of the module's migrations, such as {@code db/alerting}
   * @param historyTable the module's Flyway history table; a schema already holding other modules'
   *     tables starts this history at version 0
   */
  public static ApplicationContext open(String jdbcUrl, String user, String password, String migrations,
      String historyTable) {
    Flyway.configure().dataSource(jdbcUrl, user, password).locations("classpath:" + migrations)
        .table(historyTable).baselineOnMigrate(true).baselineVersion("0").load().migrate();
    return ApplicationContext.builder()
        .properties(Map.of(
            "datasources.default.url", jdbcUrl,
            "datasources.default.username", user,
            "datasources.default.password", password,
            "datasources.default.maximum-pool-size", 4))
        .start();
  }
}
