package io.fleetlens.alerting.store;

import org.junit.jupiter.api.extension.ExtendWith;

import io.fleetlens.testkit.PostgresFixture;
import io.fleetlens.testkit.RealServers;

/** The alerting store on a real PostgreSQL server. */
@ExtendWith(RealServers.class)
class AlertingStorePostgresIT extends AlertingStoreContract {

  private final PostgresFixture postgres;

  AlertingStorePostgresIT(PostgresFixture postgres) {
    this.postgres = postgres;
  }

  @Override
  String[] newDatabase() throws Exception {
    return new String[] {postgres.newDatabase("alerting"), postgres.user(), postgres.password()};
  }
}
