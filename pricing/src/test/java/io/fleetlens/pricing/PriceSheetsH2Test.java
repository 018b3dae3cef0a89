package io.fleetlens.pricing;

/** The price sheets on H2, embedded, as the local run and small installations keep them. */
class PriceSheetsH2Test extends PriceSheetsContract {

  @Override
  String[] newDatabase() {
    return new String[] {PricingStore.h2Url("mem:pricing-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1"), "sa", ""};
  }
}
