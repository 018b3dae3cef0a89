package io.fleetlens.query.golden;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.fleetlens.promql.eval.Engine;
import io.fleetlens.promql.eval.Value;

/**
 * Every workload of every cluster ranked by one signal, "what is broken across the fleet right
 * now": the current traffic, error share, p99 latency and saturation (the higher of CPU used against
 * its limit and memory against its limit) of each, from one query per source and signal grouped by
 * cluster, namespace and workload; a workload's requests come from the first source that has them.
 */
public final class FleetSignals {

  /** What the fleet can be ranked by. */
  public enum Sort {
    ERRORS(Row::errors), LATENCY(Row::p99), SATURATION(Row::saturation), TRAFFIC(Row::traffic);

    private final Function<Row, Double> key;

    Sort(Function<Row, Double> key) {
      this.key = key;
    }
  }

  /** One workload's current signals; a value is null where there is no data. */
  public record Row(String cluster, String namespace, String workload, String requestSource, Double traffic,
      Double errors, Double p99, Double saturation) {
  }

  private final Engine engine;

  public FleetSignals(Engine engine) {
    this.engine = engine;
  }

  public List<Row> rank(long windowMs, long nowMs, Sort sort, int limit) {
    String range = GoldenSignals.rangeOf(GoldenSignals.stepOf(windowMs));
    Map<List<String>, Row> rows = new LinkedHashMap<>();
    for (RequestSource s : RequestSource.ALL) {
      String by = "cluster, " + s.namespaceLabel() + ", " + s.workloadLabel();
      String rate = "sum by (" + by + ") (rate(" + s.requests() + "[" + range + "]))";
      Map<List<String>, Double> traffic = byWorkload(rate, s, nowMs);
      Map<List<String>, Double> failed = byWorkload("sum by (" + by + ") (rate(" + s.requests() + "{"
          + s.failed() + "}[" + range + "]))", s, nowMs);
      Map<List<String>, Double> p99 = byWorkload("histogram_quantile(0.99, sum by (" + by + ", le) (rate("
          + s.histogram() + "_bucket[" + range + "])))", s, nowMs);
      traffic.forEach((key, requests) -> rows.putIfAbsent(key, new Row(key.get(0), key.get(1), key.get(2), s.name(),
          requests, requests > 0 ? failed.getOrDefault(key, 0.0) / requests : null, p99.get(key), null)));
    }
    Map<List<String>, Double> saturation = saturation(range, nowMs);
    saturation.forEach((key, value) -> rows.merge(key, new Row(key.get(0), key.get(1), key.get(2), null, null, null,
        null, value), (row, only) -> new Row(row.cluster(), row.namespace(), row.workload(), row.requestSource(),
            row.traffic(), row.errors(), row.p99(), value)));
    List<Row> ranked = new ArrayList<>(rows.values());
    ranked.sort(Comparator.comparing((Row r) -> sort.key.apply(r), Comparator.nullsLast(Comparator.reverseOrder()))
        .thenComparing(Row::cluster).thenComparing(Row::namespace).thenComparing(Row::workload));
    return limit > 0 && ranked.size() > limit ? ranked.subList(0, limit) : ranked;
  }

  private Map<List<String>, Double> saturation(String range, long nowMs) {
    String by = "cluster, namespace, workload";
    String cpu = "sum by (" + by + ") (rate(container_cpu_usage_seconds_total{workload!=\"\"}[" + range + "]))"
        + " / sum by (" + by + ") (kube_pod_container_resource_limits{resource=\"cpu\",workload!=\"\"})";
    String memory = "sum by (" + by + ") (container_memory_working_set_bytes{workload!=\"\"})"
        + " / sum by (" + by + ") (kube_pod_container_resource_limits{resource=\"memory\",workload!=\"\"})";
    RequestSource plain = RequestSource.MICROMETER; // namespace and workload labels as the collector writes them
    Map<List<String>, Double> out = new LinkedHashMap<>(byWorkload(cpu, plain, nowMs));
    byWorkload(memory, plain, nowMs).forEach((key, value) -> out.merge(key, value, Math::max));
    return out;
  }

  private Map<List<String>, Double> byWorkload(String promql, RequestSource s, long nowMs) {
    Map<List<String>, Double> out = new LinkedHashMap<>();
    if (engine.instant(promql, nowMs) instanceof Value.Vector v) {
      for (Value.Sample sample : v.samples()) {
        List<String> key = List.of(sample.labels().get("cluster"), sample.labels().get(s.namespaceLabel()),
            sample.labels().get(s.workloadLabel()));
        if (!Double.isNaN(sample.value()) && !key.contains("")) {
          out.put(key, sample.value());
        }
      }
    }
    return out;
  }
}
