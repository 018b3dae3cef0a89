package io.fleetlens.logql.eval;

import java.util.Arrays;

import io.fleetlens.promql.eval.MathOps;

/**
 * The range aggregations of LogQL over one window of one series: counts and bytes of lines, or
 * the unwrapped values, oldest first; sums, means, variances and quantiles as Prometheus computes
 * its {@code *_over_time} (Kahan sums, the same interpolation), a counter's rate as its rate().
 */
final class RangeFunctions {

  private RangeFunctions() {
  }

  /**
   * The function's value over a window ({@code windowStart} exclusive to {@code windowEnd}, in
   * nanoseconds): {@code values} are the unwrapped values (or 1 per line, or the line's bytes) at
   * {@code times}, in time order.
   */
  static double apply(String function, long[] times, double[] values, int n, long windowStart, long windowEnd,
      Double parameter) {
    double rangeSeconds = (windowEnd - windowStart) / 1e9;
    return switch (function) {
      case "count_over_time" -> n;
      case "bytes_over_time", "sum_over_time" -> MathOps.sum(values, 0, n);
      case "rate", "bytes_rate" -> MathOps.sum(values, 0, n) / rangeSeconds;
      case "rate_counter" -> MathOps.extrapolatedChange(times, values, n, windowStart, windowEnd, true)
          / rangeSeconds;
      case "avg_over_time" -> MathOps.mean(values, 0, n);
      case "min_over_time" -> Arrays.stream(values, 0, n).min().orElse(Double.NaN);
      case "max_over_time" -> Arrays.stream(values, 0, n).max().orElse(Double.NaN);
      case "first_over_time" -> values[0];
      case "last_over_time" -> values[n - 1];
      case "stdvar_over_time" -> MathOps.variance(values, 0, n);
      case "stddev_over_time" -> Math.sqrt(MathOps.variance(values, 0, n));
      case "quantile_over_time" -> MathOps.quantile(parameter, Arrays.copyOf(values, n));
      default -> throw new IllegalArgumentException("no range function " + function);
    };
  }
}
