package io.fleetlens.query;

import org.junit.jupiter.api.extension.ExtendWith;

import io.fleetlens.testkit.PostgresFixture;
import io.fleetlens.testkit.RealServers;

/** The pricing API on a real PostgreSQL server. */
@ExtendWith(RealServers.class)
class PricingApiPostgresIT extends PricingApiContract {

  private final PostgresFixture postgres;

  PricingApiPostgresIT(PostgresFixture postgres) {
    this.postgres = postgres;
  }

  @Override
  QueryApiConfig.Database database() throws Exception {
    return new QueryApiConfig.Database(postgres.newDatabase("pricing_api"), postgres.user(), postgres.password());
  }
}
