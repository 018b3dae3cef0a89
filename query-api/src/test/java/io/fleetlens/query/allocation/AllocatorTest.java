package io.fleetlens.query.allocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fleetlens.core.access.Scope;
import io.fleetlens.pricing.PriceSheet;

/**
 * Four hours at one-hour steps, worked out by hand: cluster eu (one m5.xlarge node, 4 cores and
 * 16 GiB; 0.03 a core-hour and 0.004 a GiB-hour, 0.04 and 0.005 from 02:00) and cluster us (one
 * node of 4 cores and 16 GiB priced only as a node, 0.20 an hour); a namespace shop in both.
 */
class AllocatorTest {

  private static final long T0 = Instant.parse("2026-11-15T00:00:00Z").toEpochMilli();
  private static final double GIB = 1024.0 * 1024 * 1024;
  private static final Grid GRID = new Grid(T0, 3_600_000, 4);
  private static final double NaN = Double.NaN;

  private static PriceSheet sheet(String cluster, String currency, String cpu, String ram, String node, String from,
      String to) {
    return new PriceSheet(null, cluster, "", currency, cpu == null ? null : new BigDecimal(cpu),
        ram == null ? null : new BigDecimal(ram), BigDecimal.ZERO, BigDecimal.ZERO,
        node == null ? null : new BigDecimal(node), Instant.parse(from), to == null ? null : Instant.parse(to), null);
  }

  private static final List<PriceSheet> SHEETS = List.of(
      sheet("eu", "EUR", "0.03", "0.004", null, "2026-11-01T00:00:00Z", "2026-11-15T02:00:00Z"),
      sheet("eu", "EUR", "0.04", "0.005", null, "2026-11-15T02:00:00Z", null),
      sheet("us", "EUR", null, null, "0.20", "2026-11-01T00:00:00Z", null));

  private static double[] all(double v) {
    double[] a = new double[4];
    Arrays.fill(a, v);
    return a;
  }

  private static double[] firstTwo(double v) {
    return new double[] {v, v, NaN, NaN};
  }

  private static ContainerSeries container(String cluster, String namespace, String pod, double[] cpuRequest,
      double[] cpuUsage, double[] ramRequest, double[] ramUsage) {
    return new ContainerSeries(Map.of("cluster", cluster, "node", cluster + "-1", "namespace", namespace, "pod", pod,
        "container", "app", "controllerKind", "Deployment", "controller", pod.replaceAll("-\\d+$", "")),
        cpuRequest, cpuUsage, ramRequest, ramUsage);
  }

  private static final List<ContainerSeries> CONTAINERS = List.of(
      container("eu", "shop", "cart-1", all(1), all(0.5), all(2 * GIB), all(3 * GIB)),
      container("us", "shop", "cart-9", firstTwo(2), firstTwo(1), firstTwo(4 * GIB), firstTwo(2 * GIB)),
      container("eu", "payments", "ledger-0", all(NaN), all(0.25), all(GIB), all(0.5 * GIB)));

  private static final List<NodeSeries> NODES = List.of(
      new NodeSeries("eu", "eu-1", "m5.xlarge", all(4), all(16 * GIB)),
      new NodeSeries("us", "us-1", "n2-standard-4", all(4), all(16 * GIB)));

  // the us node's price split into CPU and RAM in OpenCost's default proportion of a core to a GiB
  private static final double US_CPU_SHARE = 4 * 0.031611 / (4 * 0.031611 + 16 * 0.004237);
  private static final double US_CORE_HOUR = 0.20 * US_CPU_SHARE / 4;
  private static final double US_GIB_HOUR = 0.20 * (1 - US_CPU_SHARE) / 16;

  private static Allocator.Result allocate() {
    return Allocator.allocate(GRID, CONTAINERS, NODES, new Pricer(SHEETS), false);
  }

  @Test
  void eachStepIsPricedAtItsOwnRatesAndTheSameNamespaceInTwoClustersStaysTwoRows() {
    Map<String, Allocation> rows = AllocationSet.aggregate(allocate(), List.of("namespace"), true, false);
    assertThat(rows.keySet()).containsExactly("eu/shop", "us/shop", "eu/payments", "eu/__idle__", "us/__idle__");

    Allocation euShop = rows.get("eu/shop"); // 1 core (request beats usage), 3 GiB (usage beats request)
    assertThat(euShop.cpuCost()).isCloseTo(1 * (0.03 * 2 + 0.04 * 2), within(1e-9)); // 0.14
    assertThat(euShop.ramCost()).isCloseTo(3 * (0.004 * 2 + 0.005 * 2), within(1e-9)); // 0.054
    assertThat(euShop.totalCost()).isCloseTo(0.194, within(1e-9));
    assertThat(euShop.cpuCoreHours()).isCloseTo(4, within(1e-9));
    assertThat(euShop.cpuEfficiency()).isCloseTo(0.5, within(1e-9));
    assertThat(euShop.ramEfficiency()).isCloseTo(1.5, within(1e-9));
    assertThat(euShop.cpuCoreRequestAverage()).isCloseTo(1, within(1e-9));
    assertThat(euShop.ramByteUsageAverage()).isCloseTo(3 * GIB, within(1e-3));
    assertThat(euShop.minutes()).isEqualTo(240);

    Allocation usShop = rows.get("us/shop"); // two hours of 2 cores and 4 GiB
    assertThat(usShop.cpuCost()).isCloseTo(2 * 2 * US_CORE_HOUR, within(1e-9));
    assertThat(usShop.ramCost()).isCloseTo(4 * 2 * US_GIB_HOUR, within(1e-9));
    assertThat(usShop.minutes()).isEqualTo(120);

    Allocation payments = rows.get("eu/payments"); // no CPU request: usage is what it is allotted
    assertThat(payments.cpuCost()).isCloseTo(0.25 * 0.14, within(1e-9));
    assertThat(payments.ramCost()).isCloseTo(1 * 0.018, within(1e-9));
    assertThat(Double.isNaN(payments.cpuEfficiency())).isTrue();

    Allocation euIdle = rows.get("eu/__idle__"); // 4 - 1.25 cores and 16 - 4 GiB left, all four hours
    assertThat(euIdle.cpuCost()).isCloseTo(2.75 * 0.14, within(1e-9));
    assertThat(euIdle.ramCost()).isCloseTo(12 * 0.018, within(1e-9));
    Allocation usIdle = rows.get("us/__idle__"); // 2 cores and 12 GiB for two hours, then the whole node
    assertThat(usIdle.cpuCost()).isCloseTo((2 * 2 + 4 * 2) * US_CORE_HOUR, within(1e-9));
    assertThat(usIdle.ramCost()).isCloseTo((12 * 2 + 16 * 2) * US_GIB_HOUR, within(1e-9));
    // what the us node costs in all is what its containers and its idle cost together
    assertThat(usShop.totalCost() + usIdle.totalCost()).isCloseTo(4 * 0.20, within(1e-9));
  }

  @Test
  void sharedIdleIsSpreadOverItsClustersRowsByCost() {
    Map<String, Allocation> rows = AllocationSet.aggregate(allocate(), List.of("namespace"), true, true);
    assertThat(rows.keySet()).containsExactly("eu/shop", "us/shop", "eu/payments");
    double euIdle = 2.75 * 0.14 + 12 * 0.018;
    assertThat(rows.get("eu/shop").totalCost()).isCloseTo(0.194 + euIdle * 0.194 / (0.194 + 0.053), within(1e-9));
    assertThat(rows.get("us/shop").totalCost()).isCloseTo(4 * 0.20, within(1e-9)); // the only row takes all
    double all = rows.values().stream().mapToDouble(Allocation::totalCost).sum();
    assertThat(all).isCloseTo(0.194 + 0.053 + euIdle + 4 * 0.20, within(1e-9));
  }

  @Test
  void aTeamSeesItsOwnRowsCostedAsForTheWholeFleet() {
    Map<String, Allocation> all = AllocationSet.aggregate(allocate(), List.of("namespace"), true, true);
    Scope shopInEu = new Scope(List.of(new Scope.Part("eu", "shop")));
    Map<String, Allocation> team = AllocationSet.aggregate(allocate(), List.of("namespace"), true, true, shopInEu);
    assertThat(team.keySet()).containsExactly("eu/shop");
    assertThat(team.get("eu/shop").totalCost()).as("its share of idle, not the cluster's whole idle")
        .isCloseTo(all.get("eu/shop").totalCost(), within(1e-12));
    assertThat(AllocationSet.aggregate(allocate(), List.of("cluster"), true, false, shopInEu).keySet())
        .as("idle belongs to the cluster, not to a namespace").containsExactly("eu");
    Scope euCluster = new Scope(List.of(new Scope.Part("eu", ".*")));
    assertThat(AllocationSet.aggregate(allocate(), List.of("namespace"), true, false, euCluster).keySet())
        .containsExactly("eu/shop", "eu/payments", "eu/__idle__");
  }

  @Test
  void groupingsAndIdleByNode() {
    Allocator.Result byNode = Allocator.allocate(GRID, CONTAINERS, NODES, new Pricer(SHEETS), true);
    assertThat(AllocationSet.aggregate(byNode, List.of("cluster"), true, false).keySet())
        .containsExactly("eu", "us", "eu/eu-1/__idle__", "us/us-1/__idle__");
    assertThat(AllocationSet.aggregate(byNode, List.of("namespace", "controller"), false, false).keySet())
        .containsExactly("eu/shop/cart", "us/shop/cart", "eu/payments/ledger");
    assertThat(AllocationSet.aggregate(byNode, List.of("label:team"), false, false).keySet())
        .containsExactly("eu/__unallocated__", "us/__unallocated__");
    assertThat(AllocationSet.isKey("label:app.kubernetes.io/name")).isTrue();
    assertThat(AllocationSet.isKey("colour")).isFalse();
  }

  @Test
  void pricesInTwoCurrenciesAreRefusedAndMissingPricesAreSaid() {
    List<PriceSheet> mixed = List.of(SHEETS.get(0), SHEETS.get(1),
        sheet("us", "USD", "0.05", "0.006", null, "2026-11-01T00:00:00Z", null));
    assertThatThrownBy(() -> Allocator.allocate(GRID, CONTAINERS, NODES, new Pricer(mixed), false))
        .isInstanceOf(Allocator.MixedCurrencyException.class).hasMessageContaining("EUR").hasMessageContaining("USD");
    Allocator.Result unpriced = Allocator.allocate(GRID, CONTAINERS, NODES, new Pricer(SHEETS.subList(0, 2)), false);
    assertThat(unpriced.warnings()).anyMatch(w -> w.contains("no price sheet for cluster us"));
    assertThat(unpriced.currency()).isEqualTo("EUR");
  }

  @Test
  void gpusAreAllottedWhatTheyRequestAtTheSheetsGpuPrice() {
    PriceSheet gpuSheet = new PriceSheet(null, "ml", "", "EUR", new BigDecimal("0.03"), new BigDecimal("0.004"),
        new BigDecimal("2.5"), BigDecimal.ZERO, null, Instant.parse("2026-11-01T00:00:00Z"), null, null);
    ContainerSeries trainer = new ContainerSeries(Map.of("cluster", "ml", "node", "ml-1", "namespace", "research",
        "pod", "trainer-0", "container", "train"), all(2), all(2), all(8 * GIB), all(8 * GIB), all(1), all(1));
    Allocator.Result result = Allocator.allocate(GRID, List.of(trainer),
        List.of(new NodeSeries("ml", "ml-1", "g5.2xlarge", all(8), all(32 * GIB))), new Pricer(List.of(gpuSheet)),
        false);
    Allocation row = AllocationSet.aggregate(result, List.of("namespace"), false, false).get("ml/research");
    assertThat(row.gpuHours()).isCloseTo(4, within(1e-9));
    assertThat(row.gpuCost()).isCloseTo(10, within(1e-9));
    assertThat(row.totalCost()).isCloseTo(2 * 4 * 0.03 + 8 * 4 * 0.004 + 10, within(1e-9));
  }
}
