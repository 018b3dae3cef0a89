package io.fleetlens.access;

/** The token store on H2 in PostgreSQL mode. */
class AccessStoreH2Test extends AccessStoreContract {

  @Override
  String[] newDatabase() {
    return new String[] {"jdbc:h2:mem:access-" + System.nanoTime()
        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "sa", ""};
  }
}
