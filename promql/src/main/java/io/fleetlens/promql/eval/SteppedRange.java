package io.fleetlens.promql.eval;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.fleetlens.core.metrics.Labels;
import io.fleetlens.core.metrics.SeriesStore.StoredSeries;
import io.fleetlens.core.metrics.StaleNaN;
import io.fleetlens.promql.parse.Expr;

/**
 * A range function of a range selector ({@code rate(x[5m])}, {@code max_over_time(x[1h])}, ...)
 * at every step of a range query at once: each series' window slides forward from step to step, so
 * each sample is passed a few times at most and no window is copied out. Its vectors are the ones
 * the call gives step by step ({@code Calls}): the same values, samples in the same order.
 */
final class SteppedRange {

  private static final Set<String> FUNCTIONS = Set.of("rate", "increase", "delta", "irate", "idelta",
      "count_over_time", "sum_over_time", "avg_over_time", "min_over_time", "max_over_time", "last_over_time",
      "present_over_time", "changes", "resets");
  private static final Set<String> NEED_TWO_POINTS = Set.of("rate", "increase", "delta", "irate", "idelta");

  private SteppedRange() {
  }

  /** Whether {@code c} can be evaluated so: one of these functions of a plain range selector (no {@code @}). */
  static boolean applies(Expr.Call c) {
    return FUNCTIONS.contains(c.function()) && c.args().size() == 1
        && c.args().get(0) instanceof Expr.MatrixSelector ms && ms.selector().at() == null;
  }

  /** The call's vector at each of the evaluation's steps, from the selector's series. */
  static StepColumns evaluate(Engine.Evaluation ev, Expr.Call c, List<StoredSeries> all) {
    String f = c.function();
    Expr.MatrixSelector ms = (Expr.MatrixSelector) c.args().get(0);
    long offset = ms.selector().offsetMs();
    long range = ms.rangeMs();
    int steps = (int) ((ev.end - ev.start) / ev.step) + 1;
    StepColumns.Builder out = new StepColumns.Builder(ev.start, ev.step, steps, all.size());
    boolean counters = f.equals("rate") || f.equals("increase");
    boolean needTwo = NEED_TWO_POINTS.contains(f);
    Set<Labels> seen = new HashSet<>();
    boolean collide = false;
    for (StoredSeries s : all) {
      ev.checkTime();
      long[] times = s.timestamps();
      double[] values = s.values();
      int stale = 0;
      for (double v : values) {
        if (StaleNaN.is(v)) {
          stale++;
        }
      }
      if (stale > 0) { // a window leaves stale markers out
        long[] t = new long[times.length - stale];
        double[] v = new double[t.length];
        for (int i = 0, j = 0; i < times.length; i++) {
          if (!StaleNaN.is(values[i])) {
            t[j] = times[i];
            v[j++] = values[i];
          }
        }
        times = t;
        values = v;
      }
      int[] resets = counters ? MathOps.resetsUpTo(values) : null; // a window without one skips looking
      Labels labels = f.equals("last_over_time") ? s.labels() : s.labels().withoutMetricName();
      out.next(labels);
      boolean windowed = false;
      boolean answered = false;
      int lo = 0;
      int hi = -1; // the window is [lo, hi]
      for (int k = 0; k < steps; k++) {
        long t = ev.start + k * ev.step;
        long ts = t - offset;
        long from = ts - range;
        while (hi + 1 < times.length && times[hi + 1] <= ts) {
          hi++;
        }
        while (lo < times.length && times[lo] <= from) {
          lo++;
        }
        int n = hi - lo + 1;
        if (n <= 0) {
          continue;
        }
        windowed = true;
        if (needTwo && n < 2) {
          continue;
        }
        out.add(k, Calls.overWindow(f, times, values, lo, hi + 1, from, ts, resets));
        answered = true;
      }
      if (counters && windowed) {
        Calls.counterNameInfo(ev, s.labels(), ms);
      }
      if (answered && !seen.add(labels)) {
        collide = true;
      }
    }
    StepColumns columns = out.build();
    for (int k = 0; collide && k < steps; k++) { // series that differ only by their name: an error at a step both have a value
      ev.unique(columns.vector(k));
    }
    return columns;
  }
}
