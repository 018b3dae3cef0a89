package io.fleetlens.query;

/** The pricing API on H2 in memory. */
class PricingApiH2Test extends PricingApiContract {

  @Override
  QueryApiConfig.Pricing database() {
    return QueryApiConfig.Pricing.inMemory("pricing-api");
  }
}
