package io.fleetlens.query.golden;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.fleetlens.promql.eval.Engine;
import io.fleetlens.promql.eval.Value;
import io.fleetlens.promql.parse.Parser;

/**
 * The four golden signals of a workload, each as PromQL over what is stored: latency (p50, p90,
 * p99 and mean), traffic (requests per second), errors (the share of failed requests: 5xx answers,
 * or for gRPC the codes that mean the server failed) from the first
 * {@link RequestSource} with series for the workload, and saturation from the collector's container
 * metrics (CPU used against limit and request, memory working set against limit, the share of CPU
 * periods throttled). Each signal carries its current value, its series over the window and the
 * query that made them.
 */
public final class GoldenSignals {

  /** The shortest and longest window asked about. */
  public static final long MIN_WINDOW_MS = 60_000;
  public static final long MAX_WINDOW_MS = 7 * 86_400_000L;
  /** Points per series over a window. */
  static final int POINTS = 120;
  public static final String SATURATION_SOURCE = "container-metrics";

  private final Engine engine;

  public GoldenSignals(Engine engine) {
    this.engine = engine;
  }

  /** One signal: its query, its value at the end of the window (null without data), its series. */
  public record Signal(String promql, Double value, List<double[]> series) {
  }

  /** Every signal of one workload; {@code requestSource} is null when none has series for it. */
  public record Report(String cluster, String namespace, String workload, long windowMs, long stepMs, long timeMs,
      String requestSource, Map<String, Signal> latency, Signal traffic, Signal errors,
      Map<String, Signal> saturation) {
  }

  /** The workload has no series of any source in the window. */
  public static final class UnknownWorkloadException extends RuntimeException {
    public UnknownWorkloadException(String message) {
      super(message);
    }
  }

  public Report of(String cluster, String namespace, String name, long windowMs, long nowMs) {
    Workload w = new Workload(cluster, namespace, name);
    long step = stepOf(windowMs);
    String range = rangeOf(step);
    Optional<RequestSource> source = RequestSource.ALL.stream()
        .filter(s -> exists(s.requests() + "{" + s.selector(w) + "}", windowMs, nowMs)).findFirst();
    String containers = containerSelector(w);
    boolean saturated = exists("container_cpu_usage_seconds_total{" + containers + "}", windowMs, nowMs)
        || exists("kube_pod_container_resource_requests{" + containers + "}", windowMs, nowMs);
    if (source.isEmpty() && !saturated) {
      throw new UnknownWorkloadException("no request or container metrics for workload " + name + " in namespace "
          + namespace + " of cluster " + cluster + " in the last " + windowMs / 1000 + " s");
    }
    Map<String, Signal> latency = new LinkedHashMap<>();
    Signal traffic = null;
    Signal errors = null;
    if (source.isPresent()) {
      RequestSource s = source.get();
      String sel = s.selector(w);
      String rate = "sum(rate(" + s.requests() + "{" + sel + "}[" + range + "]))";
      for (double q : new double[] {0.5, 0.9, 0.99}) {
        latency.put("p" + Math.round(q * 100), signal("histogram_quantile(" + q + ", sum by (le) (rate("
            + s.histogram() + "_bucket{" + sel + "}[" + range + "])))", windowMs, step, nowMs));
      }
      latency.put("mean", signal("sum(rate(" + s.histogram() + "_sum{" + sel + "}[" + range + "])) / sum(rate("
          + s.histogram() + "_count{" + sel + "}[" + range + "]))", windowMs, step, nowMs));
      traffic = signal(rate, windowMs, step, nowMs);
      errors = signal("(sum(rate(" + s.requests() + "{" + sel + "," + s.failed() + "}[" + range
          + "])) or vector(0)) / " + rate, windowMs, step, nowMs);
    }
    Map<String, Signal> saturation = new LinkedHashMap<>();
    for (Map.Entry<String, String> q : saturationQueries(containers, range).entrySet()) {
      saturation.put(q.getKey(), signal(q.getValue(), windowMs, step, nowMs));
    }
    return new Report(cluster, namespace, name, windowMs, step, nowMs, source.map(RequestSource::name).orElse(null),
        latency, traffic, errors, saturation);
  }

  static Map<String, String> saturationQueries(String containers, String range) {
    Map<String, String> queries = new LinkedHashMap<>();
    String cpu = "sum(rate(container_cpu_usage_seconds_total{" + containers + "}[" + range + "]))";
    queries.put("cpu_vs_limit", cpu + " / sum(kube_pod_container_resource_limits{" + containers
        + ",resource=\"cpu\"})");
    queries.put("cpu_vs_request", cpu + " / sum(kube_pod_container_resource_requests{" + containers
        + ",resource=\"cpu\"})");
    queries.put("memory_vs_limit", "sum(container_memory_working_set_bytes{" + containers
        + "}) / sum(kube_pod_container_resource_limits{" + containers + ",resource=\"memory\"})");
    queries.put("cpu_throttling", "sum(rate(container_cpu_cfs_throttled_periods_total{" + containers + "}["
        + range + "])) / sum(rate(container_cpu_cfs_periods_total{" + containers + "}[" + range + "]))");
    return queries;
  }

  static String containerSelector(Workload w) {
    return "cluster=\"" + w.cluster() + "\",namespace=\"" + w.namespace() + "\",workload=\"" + w.name() + "\"";
  }

  /** The step of a window's series: {@value #POINTS} points, at least 15 s apart. */
  static long stepOf(long windowMs) {
    return Math.max(15_000, windowMs / POINTS / 1000 * 1000);
  }

  /** The range of rate(): four steps, at least five minutes, so each point sees a few scrapes. */
  static String rangeOf(long stepMs) {
    return Math.max(300, 4 * stepMs / 1000) + "s";
  }

  private boolean exists(String selector, long windowMs, long nowMs) {
    Value v = engine.instant("count(last_over_time(" + selector + "[" + windowMs / 1000 + "s]))", nowMs);
    return v instanceof Value.Vector vector && !vector.samples().isEmpty();
  }

  private Signal signal(String promql, long windowMs, long stepMs, long nowMs) {
    Value now = engine.instant(promql, nowMs);
    Double value = now instanceof Value.Vector v && !v.samples().isEmpty() && !Double.isNaN(v.samples().get(0).value())
        ? v.samples().get(0).value() : null;
    Value.Matrix matrix = engine.range(Parser.parse(promql), nowMs - windowMs, nowMs, stepMs);
    List<double[]> series = new ArrayList<>();
    if (!matrix.series().isEmpty()) {
      Value.Series s = matrix.series().get(0);
      for (int i = 0; i < s.times().length; i++) {
        if (!Double.isNaN(s.values()[i])) {
          series.add(new double[] {s.times()[i], s.values()[i]});
        }
      }
    }
    return new Signal(promql, value, series);
  }
}
