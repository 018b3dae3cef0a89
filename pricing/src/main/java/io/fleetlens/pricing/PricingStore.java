package io.fleetlens.pricing;

import java.time.Clock;

import io.fleetlens.database.Database;

import io.micronaut.context.ApplicationContext;

/**
 * The relational state: opens the database (H2 embedded by default, PostgreSQL in production),
 * brings its schema up to date with Flyway, and hands out the services over Micronaut Data's
 * repositories. The same code and SQL run on both databases: H2 runs in PostgreSQL mode.
 */
public final class PricingStore implements AutoCloseable {

  private final ApplicationContext context;
  private final PriceSheets priceSheets;
  private final Clusters clusters;

  private PricingStore(ApplicationContext context, Clock clock) {
    this.context = context;
    this.priceSheets = new PriceSheets(context.getBean(PriceSheetRepository.class), clock);
    this.clusters = new Clusters(context.getBean(RegisteredClusterRepository.class), clock);
  }

  /** An embedded H2 database in {@code file} (a path without extension), or in memory for {@code mem:name}. */
  public static String h2Url(String where) {
    return "jdbc:h2:" + where + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
  }

  public static PricingStore open(String jdbcUrl, String user, String password, Clock clock) {
    ApplicationContext context = Database.open(jdbcUrl, user, password, "db/migration", "flyway_schema_history");
    return new PricingStore(context, clock);
  }

  public PriceSheets priceSheets() {
    return priceSheets;
  }

  public Clusters clusters() {
    return clusters;
  }

  @Override
  public void close() {
    context.close();
  }
}
