package io.fleetlens.promql.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fleetlens.core.metrics.Labels;
import io.fleetlens.promql.eval.Value.Sample;
import io.fleetlens.promql.eval.Value.Vector;
import io.fleetlens.promql.parse.Expr;

/**
 * An aggregation of a range function that is evaluated at every step at once ({@link SteppedRange}),
 * itself at every step at once: each input series' group is found once for the whole query, not by
 * hashing its labels at every step. At each step the values are laid out group by group, in series
 * order, and handed to the same arithmetic as {@link Aggregations}: the same vectors, to the bit,
 * groups in the order they first have a value.
 */
final class SteppedAggregation {

  private static final Set<String> OPS = Set.of("sum", "avg", "count", "group", "min", "max", "stddev", "stdvar",
      "topk", "bottomk");
  /** Past this k, topk and bottomk sort a group's samples instead of keeping the best in place. */
  private static final int MAX_K_IN_PLACE = 64;

  private SteppedAggregation() {
  }

  /** Whether {@code a} can be evaluated so (its argument's being stepped is the caller's to know). */
  static boolean applies(Expr.Aggregate a) {
    if (!OPS.contains(a.op())) {
      return false;
    }
    if (a.op().equals("topk") || a.op().equals("bottomk")) {
      return k(a) >= 0;
    }
    return a.param() == null;
  }

  /** A topk's or bottomk's k when it is a plain number from 0 to {@link Integer#MAX_VALUE}, else -1. */
  private static double k(Expr.Aggregate a) {
    Expr p = a.param();
    while (p instanceof Expr.Paren paren) {
      p = paren.expr();
    }
    return p instanceof Expr.NumberLiteral n && n.value() >= 0 && n.value() <= Integer.MAX_VALUE ? n.value() : -1;
  }

  static Vector[] evaluate(Engine.Evaluation ev, Expr.Aggregate a, StepColumns in) {
    Labels[] labels = in.labels();
    int[] groupOf = new int[labels.length];
    List<Labels> keys = new ArrayList<>();
    Map<Labels, Integer> numbers = new HashMap<>();
    for (int i = 0; i < labels.length; i++) {
      Labels key = ev.canonicalGroup(a, Aggregations.groupKey(labels[i], a));
      groupOf[i] = numbers.computeIfAbsent(key, k -> {
        keys.add(k);
        return keys.size() - 1;
      });
    }
    String op = a.op();
    boolean top = op.equals("topk");
    boolean ranks = top || op.equals("bottomk");
    double k = ranks ? k(a) : 0;
    int groups = keys.size();
    int[] counts = new int[groups];
    int[] from = new int[groups];
    int[] firsts = new int[groups]; // the groups of one step, in the order they first have a value
    int[] next = new int[groups]; // where a group's next value goes, set for the groups of the step
    double[] values = new double[0];
    int[] members = new int[0];
    Vector[] out = new Vector[in.steps()];
    for (int step = 0; step < in.steps(); step++) {
      ev.checkTime();
      long t = ev.start + step * ev.step;
      int n = in.size(step);
      int used = 0;
      for (int i = 0; i < n; i++) {
        int g = groupOf[in.series(step, i)];
        if (counts[g]++ == 0) {
          firsts[used++] = g;
        }
      }
      if (values.length < n) {
        values = new double[n];
        members = new int[n];
      }
      for (int j = 0, at = 0; j < used; j++) {
        int g = firsts[j];
        from[g] = at;
        next[g] = at;
        at += counts[g];
      }
      for (int i = 0; i < n; i++) {
        int s = in.series(step, i);
        int at = next[groupOf[s]]++;
        values[at] = in.value(step, i);
        members[at] = s;
      }
      List<Sample> samples = new ArrayList<>(ranks ? Math.min(n, 16) : used);
      for (int j = 0; j < used; j++) {
        int g = firsts[j];
        int lo = from[g];
        int hi = lo + counts[g];
        if (ranks) {
          best(values, members, lo, hi, k, top, labels, t, samples);
        } else {
          samples.add(new Sample(keys.get(g), t, Aggregations.reduce(op, values, lo, hi)));
        }
        counts[g] = 0;
      }
      out[step] = new Vector(samples);
    }
    return out;
  }

  /**
   * A topk's or bottomk's samples of one group: as {@link Aggregations#top} picks them (a stable
   * sort by value, NaN last, the first k), keeping the best k in place while passing the group once.
   */
  private static void best(double[] values, int[] members, int lo, int hi, double k, boolean top, Labels[] labels,
      long t, List<Sample> out) {
    int n = (int) Math.min(hi - lo, Math.max(0, k));
    if (n < 1) {
      return;
    }
    if (n > MAX_K_IN_PLACE) {
      List<Sample> group = new ArrayList<>(hi - lo);
      for (int i = lo; i < hi; i++) {
        group.add(new Sample(labels[members[i]], t, values[i]));
      }
      out.addAll(Aggregations.top(group, k, top, t));
      return;
    }
    double[] bestValues = new double[n];
    int[] best = new int[n];
    int size = 0;
    for (int i = lo; i < hi; i++) {
      double v = values[i];
      int at = size;
      while (at > 0 && Aggregations.rank(v, bestValues[at - 1], top) < 0) { // after its equals: stable
        at--;
      }
      if (at >= n) {
        continue;
      }
      int keep = Math.min(size, n - 1);
      System.arraycopy(bestValues, at, bestValues, at + 1, keep - at);
      System.arraycopy(best, at, best, at + 1, keep - at);
      bestValues[at] = v;
      best[at] = members[i];
      size = keep + 1;
    }
    for (int i = 0; i < size; i++) {
      out.add(new Sample(labels[best[i]], t, bestValues[i]));
    }
  }
}
