package io.fleetlens.access;

import org.junit.jupiter.api.extension.ExtendWith;

import io.fleetlens.testkit.PostgresFixture;
import io.fleetlens.testkit.RealServers;

/** The token store on a real PostgreSQL server. */
@ExtendWith(RealServers.class)
class AccessStorePostgresIT extends AccessStoreContract {

  private final PostgresFixture postgres;

  AccessStorePostgresIT(PostgresFixture postgres) {
    this.postgres = postgres;
  }

  @Override
  String[] newDatabase() throws Exception {
    return new String[] {postgres.newDatabase("access"), postgres.user(), postgres.password()};
  }
}
