package io.fleetlens.query;

/** The pricing API on H2 in memory. */
class PricingApiH2Test extends PricingApiContract {

  @Override
  QueryApiConfig.Database database() {
    return QueryApiConfig.Database.inMemory("pricing-api");
  }
}
