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
 * Reads what allocation needs from the stored metrics, as PromQL range queries over each step of
 * the grid: the averages of requests ({@code kube_pod_container_resource_requests}), memory usage
 * (the working set) and node capacity over the step, CPU usage as the counter's rate over it, how
 * much of the step each container and node was there (from how many samples it has in it), node
 * instance types, and each pod's labels and annotations.
 */
public final class StoredUsage {

  /** GPU resource names, as the kubelet and kube-state-metrics write them. */
  static final String GPUS = "nvidia.com/gpu|nvidia_com_gpu|amd.com/gpu|amd_com_gpu";

  private final Engine engine;

  public StoredUsage(Engine engine) {
    this.engine = engine;
  }

  /** The containers and nodes of the clusters matching {@code clusterMatcher} (a PromQL label matcher, or empty). */
  public record Usage(List<ContainerSeries> containers, List<NodeSeries> nodes) {
  }

  public Usage read(Grid grid, String clusterMatcher) {
    String sel = clusterMatcher.isEmpty() ? "" : clusterMatcher + ",";
    String step = "[" + grid.resolutionMs() / 1000 + "s]";
    String cpuRequests = "kube_pod_container_resource_requests{" + sel + "resource=\"cpu\"}" + step;
    String ramRequests = "kube_pod_container_resource_requests{" + sel + "resource=\"memory\"}" + step;
    String workingSet = "container_memory_working_set_bytes{" + sel + "container!=\"\"}" + step;
    String gpuRequests = "kube_pod_container_resource_requests{" + sel + "resource=~\"" + GPUS + "\"}" + step;
    // slots: 0 CPU request, 1 CPU usage, 2 RAM request, 3 RAM usage, 4 GPU request; 5-7 samples seen of 0, 2, 3
    List<String> queries = List.of("avg_over_time(" + cpuRequests + ")",
        "rate(container_cpu_usage_seconds_total{" + sel + "container!=\"\"}" + step + ")",
        "avg_over_time(" + ramRequests + ")", "avg_over_time(" + workingSet + ")",
        "sum without (resource, unit) (avg_over_time(" + gpuRequests + "))",
        "count_over_time(" + cpuRequests + ")", "count_over_time(" + ramRequests + ")",
        "count_over_time(" + workingSet + ")");
    Map<List<String>, double[][]> containers = new LinkedHashMap<>();
    Map<List<String>, Map<String, String>> properties = new LinkedHashMap<>();
    for (int which = 0; which < queries.size(); which++) {
      for (Value.Series s : range(grid, queries.get(which))) {
        Labels l = s.labels();
        List<String> key = List.of(l.get("cluster"), l.get("namespace"), l.get("pod"), l.get("container"));
        fill(containers.computeIfAbsent(key, k -> empty(queries.size(), grid.steps()))[which], s, grid);
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
      out.add(new ContainerSeries(p, series[0], series[1], series[2], series[3], series[4],
          presence(series[5], series[6], series[7])));
    });
    return new Usage(out, nodes(grid, sel));
  }

  /**
   * The share of each step a series was there: the samples it has in the step over the most it has
   * in any step (a container scraped every 15 s has four a minute; one that started or ended in a
   * step has fewer there).
   */
  static double[] presence(double[]... counts) {
    int steps = counts[0].length;
    double[] seen = new double[steps];
    double most = 0;
    for (int i = 0; i < steps; i++) {
      for (double[] c : counts) {
        if (!Double.isNaN(c[i])) {
          seen[i] = Math.max(seen[i], c[i]);
        }
      }
      most = Math.max(most, seen[i]);
    }
    for (int i = 0; i < steps; i++) {
      seen[i] = most > 0 ? seen[i] / most : 0;
    }
    return seen;
  }

  private List<NodeSeries> nodes(Grid grid, String sel) {
    Map<List<String>, double[][]> capacity = new LinkedHashMap<>();
    String step = "[" + grid.resolutionMs() / 1000 + "s]";
    String cpu = "kube_node_status_capacity{" + sel + "resource=\"cpu\"}" + step;
    String memory = "kube_node_status_capacity{" + sel + "resource=\"memory\"}" + step;
    List<String> queries = List.of("avg_over_time(" + cpu + ")", "avg_over_time(" + memory + ")",
        "count_over_time(" + cpu + ")");
    for (int r = 0; r < queries.size(); r++) {
      for (Value.Series s : range(grid, queries.get(r))) {
        fill(capacity.computeIfAbsent(List.of(s.labels().get("cluster"), s.labels().get("node")),
            k -> empty(queries.size(), grid.steps()))[r], s, grid);
      }
    }
    Map<List<String>, String> types = new LinkedHashMap<>();
    for (Value.Series s : range(grid, "kube_node_labels{" + sel + "label_node_kubernetes_io_instance_type!=\"\"}")) {
      types.put(List.of(s.labels().get("cluster"), s.labels().get("node")),
          s.labels().get("label_node_kubernetes_io_instance_type"));
    }
    List<NodeSeries> out = new ArrayList<>();
    capacity.forEach((key, c) -> out.add(new NodeSeries(key.get(0), key.get(1), types.getOrDefault(key, ""), c[0],
        c[1], presence(c[2]))));
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

  /**
   * The query at a millisecond before the end of each step, so its range selectors cover
   * {@code [start, end)} of the step: a sample exactly at a step's start belongs to that step.
   */
  private List<Value.Series> range(Grid grid, String promql) {
    return engine.range(Parser.parse(promql), grid.at(1) - 1, grid.endMs() - 1, grid.resolutionMs()).series();
  }

  /** Point k of a range query evaluated at the end of each step belongs to step k. */
  private static void fill(double[] into, Value.Series s, Grid grid) {
    for (int k = 0; k < s.times().length; k++) {
      int step = (int) ((s.times()[k] - (grid.at(1) - 1)) / grid.resolutionMs());
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
