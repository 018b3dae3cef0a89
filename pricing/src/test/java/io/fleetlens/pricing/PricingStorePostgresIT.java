package io.fleetlens.pricing;

import org.junit.jupiter.api.extension.ExtendWith;

import io.fleetlens.testkit.PostgresFixture;
import io.fleetlens.testkit.RealServers;

/** The pricing store on a real PostgreSQL server. */
@ExtendWith(RealServers.class)
class PricingStorePostgresIT extends PricingStoreContract {

  private final PostgresFixture postgres;

  PricingStorePostgresIT(PostgresFixture postgres) {
    this.postgres = postgres;
  }

  @Override
  String[] newDatabase() throws Exception {
    return new String[] {postgres.newDatabase("pricing"), postgres.user(), postgres.password()};
  }
}
