package io.fleetlens.promql.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fleetlens.core.metrics.Labels;
import io.fleetlens.promql.eval.Value.Sample;
import io.fleetlens.promql.eval.Value.Vector;

/** histogram_quantile over classic buckets ({@code le} labels), as Prometheus interpolates them. */
final class HistogramQuantile {

  private record Bucket(double upperBound, double count) {
  }

  private HistogramQuantile() {
  }

  /**
   * {@code badBucket} hears of a series whose {@code le} is missing or no number ({metric name, le});
   * {@code madeMonotonic} of a histogram whose counts had to be fixed (its metric name).
   */
  static Vector of(double q, Vector input, long t, java.util.function.Consumer<String[]> badBucket,
      java.util.function.Consumer<String> madeMonotonic) {
    Map<Labels, List<Bucket>> groups = new LinkedHashMap<>();
    Map<Labels, String> names = new LinkedHashMap<>();
    for (Sample s : input.samples()) {
      String le = s.labels().get("le");
      double upper;
      try {
        upper = parseBound(le);
      } catch (NumberFormatException e) {
        badBucket.accept(new String[] {s.labels().metricName(), le});
        continue;
      }
      Labels key = s.labels().without(Set.of("le", Labels.METRIC_NAME));
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(new Bucket(upper, s.value()));
      names.putIfAbsent(key, s.labels().metricName());
    }
    List<Sample> out = new ArrayList<>();
    for (Map.Entry<Labels, List<Bucket>> group : groups.entrySet()) {
      boolean[] fixed = new boolean[1];
      out.add(new Sample(group.getKey(), t, quantile(q, group.getValue(), fixed)));
      if (fixed[0]) {
        madeMonotonic.accept(names.get(group.getKey()));
      }
    }
    return new Vector(out);
  }

  private static double parseBound(String le) {
    if (le.isEmpty()) {
      throw new NumberFormatException("no le");
    }
    return switch (le) {
      case "+Inf", "Inf", "+inf", "inf" -> Double.POSITIVE_INFINITY;
      case "-Inf", "-inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(le);
    };
  }

  static double quantile(double q, List<Bucket> unsorted, boolean[] fixedMonotonicity) {
    if (Double.isNaN(q)) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    List<Bucket> buckets = new ArrayList<>(unsorted);
    buckets.sort((a, b) -> Double.compare(a.upperBound(), b.upperBound()));
    if (buckets.isEmpty() || !Double.isInfinite(buckets.get(buckets.size() - 1).upperBound())
        || buckets.get(buckets.size() - 1).upperBound() < 0) {
      return Double.NaN;
    }
    // coalesce buckets with the same bound
    List<Bucket> merged = new ArrayList<>();
    for (Bucket b : buckets) {
      if (!merged.isEmpty() && merged.get(merged.size() - 1).upperBound() == b.upperBound()) {
        Bucket last = merged.remove(merged.size() - 1);
        merged.add(new Bucket(b.upperBound(), last.count() + b.count()));
      } else {
        merged.add(b);
      }
    }
    // force monotonic counts
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < merged.size(); i++) {
      Bucket b = merged.get(i);
      if (b.count() > max) {
        max = b.count();
      } else if (b.count() < max) {
        merged.set(i, new Bucket(b.upperBound(), max));
        fixedMonotonicity[0] = true;
      }
    }
    if (merged.size() < 2) {
      return Double.NaN;
    }
    double observations = merged.get(merged.size() - 1).count();
    if (observations == 0 || Double.isNaN(observations)) {
      return Double.NaN;
    }
    double rank = q * observations;
    int b = 0;
    while (b < merged.size() - 1 && merged.get(b).count() < rank) {
      b++;
    }
    if (b == merged.size() - 1) {
      return merged.get(merged.size() - 2).upperBound();
    }
    if (b == 0 && merged.get(0).upperBound() <= 0) {
      return merged.get(0).upperBound();
    }
    double start = 0;
    double end = merged.get(b).upperBound();
    double count = merged.get(b).count();
    if (b > 0) {
      start = merged.get(b - 1).upperBound();
      count -= merged.get(b - 1).count();
      rank -= merged.get(b - 1).count();
    }
    return start + (end - start) * (rank / count);
  }
}
