package io.fleetlens.query.allocation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.fleetlens.core.access.Scope;
import io.fleetlens.core.metrics.Labels;
import io.fleetlens.promql.eval.Engine;
import io.fleetlens.promql.eval.Value;
import io.fleetlens.promql.parse.Parser;

/**
 * Right-sizing: for each container of each workload, the requests its usage over a window calls for
 * (a percentile of its CPU usage, p90 by default, and the highest memory working set, each plus
 * headroom) beside what it requests now, and what the difference saves in a month (730 hours) at
 * the cluster's current prices, for as many pods as it ran on average. A negative saving means the
 * container asks for less than it uses.
 */
public final class Recommendations {

  static final double HOURS_PER_MONTH = 730;

  private final Engine engine;
  private final Scope visible;

  /**
   * Reads the whole fleet through {@code engine} (node prices and capacity have no namespace) and
   * recommends for the workloads {@code visible} may see.
   */
  public Recommendations(Engine engine, Scope visible) {
    this.engine = engine;
    this.visible = visible;
  }

  /** How recommendations are made. */
  public record Settings(double cpuPercentile, double memoryPercentile, double headroom) {
  }

  /** One workload container's recommendation; prices in {@code currency}, null when it has no price sheet. */
  public record Recommendation(String cluster, String namespace, String controllerKind, String controller,
      String container, double pods, double cpuRequest, double cpuRecommended, double ramRequest,
      double ramRecommended, Double monthlySaving, String currency) {
  }

  public List<Recommendation> recommend(Grid grid, Settings settings, Pricer pricer) {
    String step = grid.resolutionMs() / 1000 + "s";
    Map<List<String>, Workload> workloads = new LinkedHashMap<>();
    collect(grid, "rate(container_cpu_usage_seconds_total{container!=\"\"}[" + step + "])", workloads,
        (w, v) -> w.cpu.add(v));
    collect(grid, "max_over_time(container_memory_working_set_bytes{container!=\"\"}[" + step + "])", workloads,
        (w, v) -> w.ram.add(v));
    collect(grid, "kube_pod_container_resource_requests{resource=\"cpu\"}", workloads, (w, v) -> {
      w.cpuRequests += v;
      w.podSteps++;
    });
    collect(grid, "kube_pod_container_resource_requests{resource=\"memory\"}", workloads, (w, v) -> {
      w.ramRequests += v;
      w.ramSteps++;
    });
    Map<List<String>, double[]> capacity = new LinkedHashMap<>();
    Map<List<String>, String> types = new LinkedHashMap<>();
    long at = grid.endMs();
    String[] resources = {"cpu", "memory"};
    for (int r = 0; r < 2; r++) {
      int which = r;
      instant("last_over_time(kube_node_status_capacity{resource=\"" + resources[r] + "\"}[" + step + "])", at)
          .forEach(sample -> capacity.computeIfAbsent(List.of(sample.labels().get("cluster"),
              sample.labels().get("node")), k -> new double[] {Double.NaN, Double.NaN})[which] = sample.value());
    }
    instant("last_over_time(kube_node_labels{label_node_kubernetes_io_instance_type!=\"\"}[" + step + "])", at)
        .forEach(sample -> types.put(List.of(sample.labels().get("cluster"), sample.labels().get("node")),
            sample.labels().get("label_node_kubernetes_io_instance_type")));
    List<Recommendation> out = new ArrayList<>();
    for (Map.Entry<List<String>, Workload> e : workloads.entrySet()) {
      Workload w = e.getValue();
      if (w.cpu.isEmpty() && w.ram.isEmpty() || !visible.sees(e.getKey().get(0), e.getKey().get(1))) {
        continue;
      }
      List<String> node = List.of(e.getKey().get(0), w.node);
      w.instanceType = types.getOrDefault(node, "");
      double[] caps = capacity.getOrDefault(node, new double[] {Double.NaN, Double.NaN});
      w.nodeCores = caps[0];
      w.nodeBytes = caps[1];
      double pods = (double) Math.max(w.podSteps, w.ramSteps) / grid.steps();
      double cpuRequest = w.podSteps == 0 ? 0 : w.cpuRequests / w.podSteps;
      double ramRequest = w.ramSteps == 0 ? 0 : w.ramRequests / w.ramSteps;
      double cpuRecommended = quantile(w.cpu, settings.cpuPercentile()) * (1 + settings.headroom());
      double ramRecommended = quantile(w.ram, settings.memoryPercentile()) * (1 + settings.headroom());
      List<String> k = e.getKey();
      Optional<Pricer.Rates> rates = pricer.at(k.get(0), w.instanceType, grid.endMs() - 1, w.nodeCores, w.nodeBytes);
      Double saving = rates.map(r -> pods * HOURS_PER_MONTH * ((cpuRequest - cpuRecommended) * r.coreHour()
          + (ramRequest - ramRecommended) / Pricer.GIB * r.gibHour())).orElse(null);
      out.add(new Recommendation(k.get(0), k.get(1), w.controllerKind, k.get(2), k.get(3), pods, cpuRequest,
          cpuRecommended, ramRequest, ramRecommended, saving, rates.map(Pricer.Rates::currency).orElse(null)));
    }
    out.sort(Comparator.comparing((Recommendation r) -> r.monthlySaving() == null ? Double.NEGATIVE_INFINITY
        : r.monthlySaving()).reversed());
    return out;
  }

  /** A workload's container: every sample of its pods over the window. */
  private static final class Workload {
    final List<Double> cpu = new ArrayList<>();
    final List<Double> ram = new ArrayList<>();
    double cpuRequests;
    long podSteps;
    double ramRequests;
    long ramSteps;
    String controllerKind = "";
    String node = "";
    String instanceType = "";
    double nodeCores = Double.NaN;
    double nodeBytes = Double.NaN;
  }

  private void collect(Grid grid, String promql, Map<List<String>, Workload> into,
      java.util.function.BiConsumer<Workload, Double> add) {
    for (Value.Series s : engine.range(Parser.parse(promql), grid.at(1), grid.endMs(), grid.resolutionMs())
        .series()) {
      Labels l = s.labels();
      String controller = l.get("workload").isEmpty() ? l.get("pod") : l.get("workload");
      Workload w = into.computeIfAbsent(List.of(l.get("cluster"), l.get("namespace"), controller,
          l.get("container")), k -> new Workload());
      if (!l.get("workload_kind").isEmpty()) {
        w.controllerKind = l.get("workload_kind");
      }
      if (w.node.isEmpty()) {
        w.node = l.get("node");
      }
      for (double v : s.values()) {
        if (!Double.isNaN(v)) {
          add.accept(w, v);
        }
      }
    }
  }

  private List<Value.Sample> instant(String promql, long timeMs) {
    return engine.instant(promql, timeMs) instanceof Value.Vector v ? v.samples() : List.of();
  }

  /** The q-quantile of the values, interpolating between neighbours as PromQL's quantile() does. */
  static double quantile(List<Double> values, double q) {
    if (values.isEmpty()) {
      return 0;
    }
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(sorted);
    double rank = q * (sorted.length - 1);
    int lower = (int) Math.floor(rank);
    int upper = Math.min(lower + 1, sorted.length - 1);
    return sorted[lower] + (sorted[upper] - sorted[lower]) * (rank - lower);
  }
}
