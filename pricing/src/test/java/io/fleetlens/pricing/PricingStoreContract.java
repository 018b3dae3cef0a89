package io.fleetlens.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every database under the price sheets and the cluster registry must do; H2 and PostgreSQL each run it. */
abstract class PricingStoreContract {

  static final Instant NOV = Instant.parse("2026-11-01T00:00:00Z");
  static final Instant MID_NOV = Instant.parse("2026-11-15T00:00:00Z");
  static final Instant DEC = Instant.parse("2026-12-01T00:00:00Z");

  private PricingStore store;
  private PriceSheets sheets;
  private Clusters clusters;

  /** A JDBC URL, user and password of a new, empty database. */
  abstract String[] newDatabase() throws Exception;

  @BeforeEach
  void open() throws Exception {
    String[] db = newDatabase();
    store = PricingStore.open(db[0], db[1], db[2], Clock.fixed(DEC, ZoneOffset.UTC));
    sheets = store.priceSheets();
    clusters = store.clusters();
  }

  @AfterEach
  void close() {
    store.close();
  }

  static PriceSheet sheet(String cluster, String nodeType, String cpu, String ram, Instant from, Instant to) {
    return new PriceSheet(null, cluster, nodeType, "EUR", cpu == null ? null : new BigDecimal(cpu),
        ram == null ? null : new BigDecimal(ram), BigDecimal.ZERO, new BigDecimal("0.0001"), null, from, to, null);
  }

  @Test
  void sheetsAreStoredExactlyAndAPriceChangeIsTwoSheetsBackToBack() {
    PriceSheet before = sheets.create(sheet("prod-eu", "", "0.031611", "0.004237", NOV, MID_NOV));
    PriceSheet after = sheets.create(sheet("prod-eu", "", "0.035", "0.005", MID_NOV, null));
    sheets.create(sheet("prod-eu", "m5.xlarge", "0.04", "0.006", NOV, null));
    sheets.create(sheet("prod-us", "", "0.028", "0.0039", NOV, null));

    assertThat(before.id()).isNotNull();
    assertThat(sheets.live()).extracting(PriceSheet::cluster, PriceSheet::nodeType, PriceSheet::cpuCoreHour)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("prod-eu", "", new BigDecimal("0.0316110000")),
            org.assertj.core.groups.Tuple.tuple("prod-eu", "", new BigDecimal("0.0350000000")),
            org.assertj.core.groups.Tuple.tuple("prod-eu", "m5.xlarge", new BigDecimal("0.0400000000")),
            org.assertj.core.groups.Tuple.tuple("prod-us", "", new BigDecimal("0.0280000000")));
    assertThat(sheets.find(after.id())).get().extracting(PriceSheet::effectiveFrom).isEqualTo(MID_NOV);
  }

  @Test
  void overlappingNegativeAndIncompleteSheetsAreRefusedNamingTheFieldAndNothingIsWritten() {
    sheets.create(sheet("prod-eu", "", "0.03", "0.004", NOV, null));
    assertThatThrownBy(() -> sheets.create(sheet("prod-eu", "", "0.03", "0.004", MID_NOV, DEC)))
        .isInstanceOf(InvalidPricingException.class).hasMessageContaining("overlaps")
        .extracting(e -> ((InvalidPricingException) e).field()).isEqualTo("effectiveFrom");
    assertThatThrownBy(() -> sheets.create(sheet("prod-us", "", "-0.03", "0.004", NOV, null)))
        .extracting(e -> ((InvalidPricingException) e).field()).isEqualTo("cpuCoreHour");
    assertThatThrownBy(() -> sheets.create(sheet("prod-us", "", "0.03", null, NOV, null)))
        .extracting(e -> ((InvalidPricingException) e).field()).isEqualTo("cpuCoreHour");
    assertThatThrownBy(() -> sheets.create(sheet("prod-us", "", "0.03", "0.004", DEC, NOV)))
        .extracting(e -> ((InvalidPricingException) e).field()).isEqualTo("effectiveTo");
    assertThatThrownBy(() -> sheets.create(new PriceSheet(null, "prod-us", "", "euro", new BigDecimal("1"),
        new BigDecimal("1"), BigDecimal.ZERO, BigDecimal.ZERO, null, NOV, null, null)))
        .extracting(e -> ((InvalidPricingException) e).field()).isEqualTo("currency");
    assertThat(sheets.live()).hasSize(1);
  }

  @Test
  void aRetiredSheetNoLongerPricesAndFreesItsTime() {
    PriceSheet first = sheets.create(sheet("prod-eu", "", "0.03", "0.004", NOV, null));
    sheets.retire(first.id());
    assertThat(sheets.live()).isEmpty();
    assertThat(sheets.find(first.id())).isEmpty();
    PriceSheet second = sheets.create(sheet("prod-eu", "", "0.05", "0.006", NOV, null));
    PriceSheet changed = sheets.update(second.id(), sheet("prod-eu", "", "0.06", "0.006", NOV, null));
    assertThat(changed.cpuCoreHour()).isEqualByComparingTo("0.06");
    assertThat(sheets.live()).hasSize(1);
  }

  @Test
  void clustersAreRegisteredChangedAndRetiredWithTheirLabels() {
    clusters.register(new RegisteredCluster("prod-eu", "production", "eu-west-1", "platform",
        "{\"cost-center\":\"cc-42\"}", null));
    clusters.register(new RegisteredCluster("dev-us", "development", "us-east-1", "platform", "{}", null));
    assertThat(clusters.live()).extracting(RegisteredCluster::name).containsExactly("dev-us", "prod-eu");
    assertThat(Clusters.labels(clusters.find("prod-eu").orElseThrow())).containsEntry("cost-center", "cc-42");

    clusters.update("prod-eu", new RegisteredCluster("ignored", "production", "eu-central-1", "shop", "{}", null));
    assertThat(clusters.find("prod-eu").orElseThrow().region()).isEqualTo("eu-central-1");
    clusters.retire("dev-us");
    assertThat(clusters.live()).extracting(RegisteredCluster::name).containsExactly("prod-eu");
    clusters.register(new RegisteredCluster("dev-us", "development", "us-east-2", "platform", "{}", null));
    assertThat(clusters.find("dev-us").orElseThrow().region()).isEqualTo("us-east-2");

    assertThatThrownBy(() -> clusters.register(new RegisteredCluster("prod-eu", "x", "y", "z", "{}", null)))
        .extracting(e -> ((InvalidPricingException) e).field()).isEqualTo("name");
    assertThatThrownBy(() -> clusters.register(new RegisteredCluster("Prod EU", "x", "y", "z", "{}", null)))
        .extracting(e -> ((InvalidPricingException) e).field()).isEqualTo("name");
    assertThatThrownBy(() -> clusters.register(new RegisteredCluster("qa", "x", "y", "z", "[1,2]", null)))
        .extracting(e -> ((InvalidPricingException) e).field()).isEqualTo("labels");
    assertThatThrownBy(() -> clusters.retire("nowhere")).isInstanceOf(UnknownEntryException.class);
    assertThat(clusters.live()).hasSize(2);
  }
}
