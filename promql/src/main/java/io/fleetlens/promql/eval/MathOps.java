package io.fleetlens.promql.eval;

import java.util.Arrays;

/** Numeric helpers PromQL shares between functions and aggregations. */
public final class MathOps {

  private MathOps() {
  }

  /** One step of Kahan-Babuska (Neumaier) summation: returns {sum, compensation}. */
  static double[] kahanInc(double inc, double sum, double c) {
    double t = sum + inc;
    return new double[] {t, compensation(inc, sum, t, c)};
  }

  /** The compensation {@code c} after adding {@code inc} to {@code sum} made {@code t} (no array, for loops). */
  private static double compensation(double inc, double sum, double t, double c) {
    if (Double.isInfinite(t)) {
      return 0;
    }
    return Math.abs(sum) >= Math.abs(inc) ? c + ((sum - t) + inc) : c + ((inc - t) + sum);
  }

  /**
   * A series' change over a window ({@code windowStart} to {@code windowEnd}, in the unit of
   * {@code times}) from its {@code n} samples, extrapolated to the window's edges as Prometheus'
   * rate, increase and delta do: by at most half a sample interval past a sample more than 1.1
   * intervals from an edge, and for a counter ({@code counter}: drops are resets) never below zero.
   * NaN for fewer than two samples.
   */
  public static double extrapolatedChange(long[] times, double[] values, int n, long windowStart, long windowEnd,
      boolean counter) {
    return extrapolatedChange(times, values, 0, n, windowStart, windowEnd, counter);
  }

  /** {@link #extrapolatedChange(long[], double[], int, long, long, boolean)} of the samples from {@code from} to {@code to} (exclusive). */
  public static double extrapolatedChange(long[] times, double[] values, int from, int to, long windowStart,
      long windowEnd, boolean counter) {
    return extrapolatedChange(times, values, from, to, windowStart, windowEnd, counter, null);
  }

  /**
   * The counter resets of {@code values} up to each sample: {@code [k]} counts the {@code i <= k}
   * with {@code values[i] < values[i - 1]}. A window whose first and last sample have the same count
   * has no reset, and {@link #extrapolatedChange(long[], double[], int, int, long, long, boolean, int[])}
   * skips looking for one.
   */
  public static int[] resetsUpTo(double[] values) {
    int[] resets = new int[values.length];
    for (int k = 1; k < values.length; k++) {
      resets[k] = resets[k - 1] + (values[k] < values[k - 1] ? 1 : 0);
    }
    return resets;
  }

  /** As above, with the series' {@link #resetsUpTo} (or null). */
  public static double extrapolatedChange(long[] times, double[] values, int from, int to, long windowStart,
      long windowEnd, boolean counter, int[] resetsUpTo) {
    int n = to - from;
    if (n < 2) {
      return Double.NaN;
    }
    int last = to - 1;
    double result = values[last] - values[from];
    if (counter && (resetsUpTo == null || resetsUpTo[last] != resetsUpTo[from])) {
      for (int k = from + 1; k < to; k++) {
        if (values[k] < values[k - 1]) {
          result += values[k - 1];
        }
      }
    }
    double durationToStart = times[from] - windowStart;
    double durationToEnd = windowEnd - times[last];
    double sampled = times[last] - times[from];
    double average = sampled / (n - 1);
    double threshold = average * 1.1;
    if (durationToStart >= threshold) {
      durationToStart = average / 2;
    }
    if (counter && result > 0 && values[from] >= 0) {
      double durationToZero = sampled * (values[from] / result);
      if (durationToZero < durationToStart) {
        durationToStart = durationToZero;
      }
    }
    if (durationToEnd >= threshold) {
      durationToEnd = average / 2;
    }
    return result * (sampled + durationToStart + durationToEnd) / sampled;
  }

  /** The sum of values as Prometheus computes it (compensated). */
  public static double sum(double[] values, int from, int to) {
    double sum = 0;
    double c = 0;
    for (int i = from; i < to; i++) {
      double t = sum + values[i];
      c = compensation(values[i], sum, t, c);
      sum = t;
    }
    return Double.isInfinite(sum) ? sum : sum + c;
  }

  /** The mean, falling back to an incremental mean when the plain sum would overflow. */
  public static double mean(double[] values, int from, int to) {
    int n = to - from;
    if (n == 1) {
      return values[from];
    }
    double sum = 0;
    double c = 0;
    boolean incremental = false;
    double mean = 0;
    double kahanC = 0;
    for (int i = from; i < to; i++) {
      double f = values[i];
      int count = i - from + 1;
      if (!incremental) {
        double[] r = kahanInc(f, sum, c);
        if (!Double.isInfinite(r[0]) || Double.isInfinite(f)) {
          sum = r[0];
          c = r[1];
          continue;
        }
        incremental = true;
        mean = sum / (count - 1);
        kahanC = c / (count - 1);
      }
      if (Double.isInfinite(mean)) {
        if (Double.isInfinite(f) && Math.signum(f) != Math.signum(mean)) {
          mean = Double.NaN;
        }
        continue;
      }
      if (Double.isInfinite(f)) {
        mean = f;
        continue;
      }
      double q = (count - 1) / (double) count;
      double[] r = kahanInc(f / count, q * mean, q * kahanC);
      mean = r[0];
      kahanC = r[1];
    }
    if (incremental) {
      return Double.isInfinite(mean) ? mean : mean + kahanC;
    }
    return Double.isInfinite(sum) ? sum / n : (sum + c) / n;
  }

  /** Population variance (Welford, compensated). */
  public static double variance(double[] values, int from, int to) {
    double count = 0;
    double mean = 0;
    double cMean = 0;
    double aux = 0;
    double cAux = 0;
    for (int i = from; i < to; i++) {
      double f = values[i];
      count++;
      double delta = f - (mean + cMean);
      double[] m = kahanInc(delta / count, mean, cMean);
      mean = m[0];
      cMean = m[1];
      double[] a = kahanInc(delta * (f - (mean + cMean)), aux, cAux);
      aux = a[0];
      cAux = a[1];
    }
    return (aux + cAux) / count;
  }

  /** The q-quantile of values, interpolating between ranks as Prometheus does. */
  public static double quantile(double q, double[] values) {
    if (values.length == 0 || Double.isNaN(q)) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    double[] sorted = sortedNaNFirst(values);
    double n = sorted.length;
    double rank = q * (n - 1);
    int lower = (int) Math.max(0, Math.floor(rank));
    int upper = (int) Math.min(n - 1, lower + 1);
    double weight = rank - Math.floor(rank);
    return sorted[lower] * (1 - weight) + sorted[upper] * weight;
  }

  /** Sorted as Go sorts floats: NaN before every number. */
  static double[] sortedNaNFirst(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int nans = 0;
    for (double v : sorted) {
      if (Double.isNaN(v)) {
        nans++;
      }
    }
    if (nans > 0) {
      double[] out = new double[sorted.length];
      Arrays.fill(out, 0, nans, Double.NaN);
      System.arraycopy(sorted, 0, out, nans, sorted.length - nans);
      return out;
    }
    return sorted;
  }

  /** Go's strconv.FormatFloat(v, 'f', -1, 64): shortest exact digits, no exponent. */
  static String formatFloat(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return (1 / v < 0) ? "-0" : "0";
    }
    String plain = new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    return plain;
  }
}
