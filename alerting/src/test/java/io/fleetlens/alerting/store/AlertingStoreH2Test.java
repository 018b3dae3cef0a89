package io.fleetlens.alerting.store;

/** The alerting store on H2 in PostgreSQL mode, in memory. */
class AlertingStoreH2Test extends AlertingStoreContract {

  @Override
  String[] newDatabase() {
    return new String[] {"jdbc:h2:mem:alerting-" + System.nanoTime()
        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "sa", ""};
  }
}
