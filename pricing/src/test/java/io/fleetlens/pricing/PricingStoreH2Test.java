package io.fleetlens.pricing;

/** The pricing store on H2, embedded, as the local run and small installations keep it. */
class PricingStoreH2Test extends PricingStoreContract {

  @Override
  String[] newDatabase() {
    return new String[] {PricingStore.h2Url("mem:pricing-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1"), "sa", ""};
  }
}
