package io.fleetlens.query.allocation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fleetlens.core.metrics.Labels;
import io.fleetlens.promql.eval.Engine;
import io.fleetlens.promql.eval.Value;
import io.fleetlens.promql.parse.Parser;

/**
 * Reads what allocation needs from the stored metrics, as PromQL range queries evaluated at the end
 * of each step of the grid: requests ({@code kube_pod_container_resource_requests}), CPU usage
 * ({@code rate(container_cpu_usage_seconds_total[step])}), memory usage (the working set's average
 * over the step), node capacity and instance type, and each pod's labels and annotations.
 */
public final class StoredUsage {

  private final Engine engine;

  public StoredUsage(Engine engine) {
    this.engine = engine;
  }

  /** The containers and nodes of the clusters matching {@code clusterMatcher} (a PromQL label matcher, or empty). */
  public record Usage(List<ContainerSeries> containers, List<NodeSeries> nodes) {
  }

  public Usage read(Grid grid, String clusterMatcher) {
    String sel = clusterMatcher.isEmpty() ? "" : clusterMatcher + ",";
    String step = grid.resolutionMs() / 1000 + "s";
    Map<List<String>, double[][]> containers = new LinkedHashMap<>();
    Map<List<String>, Map<String, String>> properties = new LinkedHashMap<>();
    int[] slot = {0};
    for (String promql : List.of(
        "kube_pod_container_resource_requests{" + sel + "resource=\"cpu\"}",
        "rate(container_cpu_usage_seconds_total{" + sel + "container!=\"\"}[" + step + "])",
        "kube_pod_container_resource_requests{" + sel + "resource=\"memory\"}",
        "avg_over_time(container_memory_working_set_bytes{" + sel + "container!=\"\"}[" + step + "])")) {
      int which = slot[0]++;
      for (Value.Series s : range(grid, promql)) {
        Labels l = s.labels();
        List<String> key = List.of(l.get("cluster"), l.get("namespace"), l.get("pod"), l.get("container"));
        double[][] series = containers.computeIfAbsent(key, k -> empty(4, grid.steps()));
        fill(series[which], s, grid);
        Map<String, String> p = properties.computeIfAbsent(key, k -> new LinkedHashMap<>());
        p.putIfAbsent(ContainerSeries.CLUSTER, l.get("cluster"));
        putIfPresent(p, ContainerSeries.NODE, l.get("node"));
        p.putIfAbsent(ContainerSeries.NAMESPACE, l.get("namespace"));
        p.putIfAbsent(ContainerSeries.POD, l.get("pod"));
        p.putIfAbsent(ContainerSeries.CONTAINER, l.get("container"));
        putIfPresent(p, ContainerSeries.CONTROLLER_KIND, l.get("workload_kind"));
        putIfPresent(p, ContainerSeries.CONTROLLER, l.get("workload"));
      }
    }
    Map<List<String>, Map<String, String>> podLabels = podLabels(grid, sel);
    List<ContainerSeries> out = new ArrayList<>();
    containers.forEach((key, series) -> {
      Map<String, String> p = properties.get(key);
      p.putAll(podLabels.getOrDefault(List.of(key.get(0), key.get(1), key.get(2)), Map.of()));
      out.add(new ContainerSeries(p, series[0], series[1], series[2], series[3]));
    });
    return new Usage(out, nodes(grid, sel));
  }

  private List<NodeSeries> nodes(Grid grid, String sel) {
    Map<List<String>, double[][]> capacity = new LinkedHashMap<>();
    String[] resources = {"cpu", "memory"};
    for (int r = 0; r < 2; r++) {
      for (Value.Series s : range(grid, "kube_node_status_capacity{" + sel + "resource=\"" + resources[r] + "\"}")) {
        fill(capacity.computeIfAbsent(List.of(s.labels().get("cluster"), s.labels().get("node")),
            k -> empty(2, grid.steps()))[r], s, grid);
      }
    }
    Map<List<String>, String> types = new LinkedHashMap<>();
    for (Value.Series s : range(grid, "kube_node_labels{" + sel + "label_node_kubernetes_io_instance_type!=\"\"}")) {
      types.put(List.of(s.labels().get("cluster"), s.labels().get("node")),
          s.labels().get("label_node_kubernetes_io_instance_type"));
    }
    List<NodeSeries> out = new ArrayList<>();
    capacity.forEach((key, c) -> out.add(new NodeSeries(key.get(0), key.get(1), types.getOrDefault(key, ""), c[0],
        c[1])));
    return out;
  }

  /** Each pod's labels and annotations as {@code label:<name>} and {@code annotation:<name>} properties. */
  private Map<List<String>, Map<String, String>> podLabels(Grid grid, String sel) {
    Map<List<String>, Map<String, String>> out = new LinkedHashMap<>();
    for (String metric : List.of("kube_pod_labels", "kube_pod_annotations")) {
      for (Value.Series s : range(grid, "max_over_time(" + metric + "{" + sel.replaceAll(",$", "") + "}["
          + grid.resolutionMs() / 1000 + "s])")) {
        Map<String, String> p = out.computeIfAbsent(List.of(s.labels().get("cluster"), s.labels().get("namespace"),
            s.labels().get("pod")), k -> new LinkedHashMap<>());
        s.labels().forEach((name, value) -> {
          if (name.startsWith("label_")) {
            p.putIfAbsent("label:" + name.substring("label_".length()), value);
          } else if (name.startsWith("annotation_")) {
            p.putIfAbsent("annotation:" + name.substring("annotation_".length()), value);
          }
        });
      }
    }
    return out;
  }

  private List<Value.Series> range(Grid grid, String promql) {
    return engine.range(Parser.parse(promql), grid.at(1), grid.endMs(), grid.resolutionMs()).series();
  }

  /** Point k of a range query evaluated at the end of each step belongs to step k. */
  private static void fill(double[] into, Value.Series s, Grid grid) {
    for (int k = 0; k < s.times().length; k++) {
      int step = (int) ((s.times()[k] - grid.at(1)) / grid.resolutionMs());
      if (step >= 0 && step < into.length) {
        into[step] = s.values()[k];
      }
    }
  }

  private static double[][] empty(int n, int steps) {
    double[][] a = new double[n][steps];
    for (double[] row : a) {
      Arrays.fill(row, Double.NaN);
    }
    return a;
  }

  private static void putIfPresent(Map<String, String> p, String key, String value) {
    if (value != null && !value.isEmpty()) {
      p.putIfAbsent(key, value);
    }
  }
}
