package io.fleetlens.query.allocation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fleetlens.core.access.Scope;

/**
 * Allocations grouped by what the caller asks ({@code cluster}, {@code node}, {@code namespace},
 * {@code controllerKind}, {@code controller}, {@code pod}, {@code container}, {@code label:<name>},
 * {@code annotation:<name>}, several at once), always within their cluster: a row's name starts
 * with its cluster, so {@code prod-eu/shop} and {@code prod-us/shop} stay apart. A container
 * without the asked label falls in {@code __unallocated__}. Idle rows are {@code <cluster>/__idle__}
 * (or {@code <cluster>/<node>/__idle__}), or, shared, spread over their cluster's rows in
 * proportion to each row's cost.
 *
 * <p>A caller limited to some clusters and namespaces gets the rows of its containers only, with the
 * same costs as an admin sees for them: the fleet is allotted and idle shared over every container
 * first, and only then are the rows it may not see left out. Idle rows, which belong to a cluster
 * rather than a namespace, are shown to callers who see the cluster's namespace-less data.
 */
public final class AllocationSet {

  public static final String UNALLOCATED = "__unallocated__";
  public static final List<String> KEYS = List.of(ContainerSeries.CLUSTER, ContainerSeries.NODE,
      ContainerSeries.NAMESPACE, ContainerSeries.CONTROLLER_KIND, ContainerSeries.CONTROLLER, ContainerSeries.POD,
      ContainerSeries.CONTAINER);

  private AllocationSet() {
  }

  /** Whether {@code key} can be aggregated by. */
  public static boolean isKey(String key) {
    return KEYS.contains(key) || key.matches("(label|annotation):[a-zA-Z0-9_./-]+");
  }

  public static Map<String, Allocation> aggregate(Allocator.Result result, List<String> keys, boolean includeIdle,
      boolean shareIdle) {
    return aggregate(result, keys, includeIdle, shareIdle, Scope.ALL);
  }

  /** The rows {@code visible} may see, costed as for the whole fleet. */
  public static Map<String, Allocation> aggregate(Allocator.Result result, List<String> keys, boolean includeIdle,
      boolean shareIdle, Scope visible) {
    Map<String, Double> costByCluster = new LinkedHashMap<>();
    result.containers().forEach(c -> costByCluster.merge(c.properties().get(ContainerSeries.CLUSTER), c.totalCost(),
        Double::sum));
    Map<String, Allocation> rows = new LinkedHashMap<>();
    for (Allocation a : result.containers()) {
      if (!visible.sees(a.properties().get(ContainerSeries.CLUSTER), a.properties().get(ContainerSeries.NAMESPACE))) {
        continue;
      }
      String name = nameOf(a.properties(), keys);
      Allocation row = rows.get(name);
      if (row == null) {
        row = new Allocation(a.properties());
        rows.put(name, row);
      }
      row.add(a);
    }
    if (shareIdle) {
      share(rows, result.idle(), costByCluster);
    } else if (includeIdle) {
      for (Allocation idle : result.idle()) {
        if (!visible.sees(idle.properties().get(ContainerSeries.CLUSTER), "")) {
          continue;
        }
        String node = idle.properties().get(ContainerSeries.NODE);
        rows.put(idle.properties().get(ContainerSeries.CLUSTER) + (node == null ? "" : "/" + node) + "/"
            + Allocator.IDLE, idle);
      }
    }
    return rows;
  }

  static String nameOf(Map<String, String> properties, List<String> keys) {
    List<String> parts = new ArrayList<>();
    parts.add(properties.get(ContainerSeries.CLUSTER));
    for (String key : keys) {
      if (key.equals(ContainerSeries.CLUSTER)) {
        continue;
      }
      String value = properties.get(propertyOf(key));
      parts.add(value == null || value.isEmpty() ? UNALLOCATED : value);
    }
    return String.join("/", parts);
  }

  /** {@code label:app.kubernetes.io/name} is kept as {@code label:app_kubernetes_io_name}, as Prometheus names it. */
  static String propertyOf(String key) {
    int colon = key.indexOf(':');
    return colon < 0 ? key : key.substring(0, colon + 1) + key.substring(colon + 1).replaceAll("[^a-zA-Z0-9_]", "_");
  }

  /** Spreads each cluster's idle cost over its rows by their part of the cluster's cost ({@code costByCluster}, all containers'). */
  private static void share(Map<String, Allocation> rows, List<Allocation> idle, Map<String, Double> costByCluster) {
    Map<String, double[]> idleByCluster = new LinkedHashMap<>();
    for (Allocation i : idle) {
      idleByCluster.merge(i.properties().get(ContainerSeries.CLUSTER), new double[] {i.cpuCost(), i.ramCost()},
          (x, y) -> new double[] {x[0] + y[0], x[1] + y[1]});
    }
    for (Allocation r : rows.values()) {
      String cluster = r.properties().get(ContainerSeries.CLUSTER);
      double[] toShare = idleByCluster.get(cluster);
      double total = costByCluster.getOrDefault(cluster, 0.0);
      if (toShare != null && total > 0) {
        double part = r.totalCost() / total;
        r.addCost(toShare[0] * part, toShare[1] * part);
      }
    }
  }
}
