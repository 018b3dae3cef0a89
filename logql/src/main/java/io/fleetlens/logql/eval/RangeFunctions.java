package io.fleetlens.logql.eval;

import java.util.Arrays;

/**
 * The range aggregations of LogQL over one window of one series: counts and bytes of lines, or
 * the unwrapped values, oldest first.
 */
final class RangeFunctions {

  private RangeFunctions() {
  }

  /**
   * The function's value over a window of {@code rangeSeconds}: {@code values} are the unwrapped
   * values (or 1 per line, or the line's bytes), in time order.
   */
  static double apply(String function, double[] values, int n, double rangeSeconds, Double parameter) {
    return switch (function) {
      case "count_over_time" -> n;
      case "bytes_over_time", "sum_over_time" -> sum(values, n);
      case "rate", "bytes_rate" -> sum(values, n) / rangeSeconds;
      case "rate_counter" -> increase(values, n) / rangeSeconds;
      case "avg_over_time" -> sum(values, n) / n;
      case "min_over_time" -> Arrays.stream(values, 0, n).min().orElse(Double.NaN);
      case "max_over_time" -> Arrays.stream(values, 0, n).max().orElse(Double.NaN);
      case "first_over_time" -> values[0];
      case "last_over_time" -> values[n - 1];
      case "stdvar_over_time" -> variance(values, n);
      case "stddev_over_time" -> Math.sqrt(variance(values, n));
      case "quantile_over_time" -> quantile(parameter, values, n);
      default -> throw new IllegalArgumentException("no range function " + function);
    };
  }

  private static double sum(double[] values, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += values[i];
    }
    return s;
  }

  /** A counter's increase over the window, counting a drop as a reset (no extrapolation). */
  private static double increase(double[] values, int n) {
    double total = 0;
    for (int i = 1; i < n; i++) {
      total += values[i] >= values[i - 1] ? values[i] - values[i - 1] : values[i];
    }
    return total;
  }

  /** The population variance, as Prometheus' stdvar_over_time computes it. */
  private static double variance(double[] values, int n) {
    double mean = 0;
    double m2 = 0;
    for (int i = 0; i < n; i++) {
      double delta = values[i] - mean;
      mean += delta / (i + 1);
      m2 += delta * (values[i] - mean);
    }
    return m2 / n;
  }

  /** Prometheus' quantile: linear interpolation between the closest ranks. */
  private static double quantile(double q, double[] values, int n) {
    if (Double.isNaN(q)) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    double[] sorted = Arrays.copyOf(values, n);
    Arrays.sort(sorted);
    double rank = q * (n - 1);
    int lower = (int) Math.max(0, Math.floor(rank));
    int upper = Math.min(n - 1, lower + 1);
    double weight = rank - Math.floor(rank);
    return sorted[lower] * (1 - weight) + sorted[upper] * weight;
  }
}
