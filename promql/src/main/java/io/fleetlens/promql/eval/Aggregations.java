package io.fleetlens.promql.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fleetlens.core.metrics.Labels;
import io.fleetlens.promql.eval.Value.Sample;
import io.fleetlens.promql.eval.Value.Vector;
import io.fleetlens.promql.parse.Expr;

/** sum, avg, min, max, count, group, stddev, stdvar, quantile, topk, bottomk, count_values. */
final class Aggregations {

  private Aggregations() {
  }

  static Value aggregate(Engine.Evaluation ev, Expr.Aggregate a, long t) {
    Vector input = ev.evalVector(a.expr(), t);
    String op = a.op();
    if (op.equals("limitk") || op.equals("limit_ratio")) {
      throw new EvalException(op + " is an experimental function, not enabled");
    }
    double param = Double.NaN;
    String label = null;
    if (a.param() != null) {
      if (op.equals("count_values")) {
        label = ((Value.Text) ev.eval(a.param(), t)).value();
        if (!label.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
          throw new EvalException("invalid label name \"" + label + "\"");
        }
      } else {
        param = ev.evalScalar(a.param(), t);
        if ((op.equals("topk") || op.equals("bottomk")) && Double.isNaN(param)) {
          throw new EvalException("Parameter value is NaN");
        }
        if (op.equals("quantile") && !(param >= 0 && param <= 1)) {
          ev.warn("quantile value should be between 0 and 1, got " + MathOps.formatFloat(param), a.param());
        }
      }
    }
    Map<Labels, List<Sample>> groups = new LinkedHashMap<>();
    Map<Labels, Labels> keys = ev.groupKeys(a); // a series' group, found once for every step
    for (Sample s : input.samples()) {
      Labels key = keys.get(s.labels());
      if (key == null) { // one instance per group, so the groups below are told apart by identity first
        Labels made = groupKey(s.labels(), a);
        key = ev.canonicalGroup(a, made);
        keys.put(s.labels(), key);
      }
      if (label != null) {
        key = key.with(label, MathOps.formatFloat(s.value()));
      }
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
    }
    List<Sample> out = new ArrayList<>();
    for (Map.Entry<Labels, List<Sample>> group : groups.entrySet()) {
      List<Sample> samples = group.getValue();
      double[] values = samples.stream().mapToDouble(Sample::value).toArray();
      Labels key = group.getKey();
      switch (op) {
        case "count_values" -> out.add(new Sample(key, t, values.length));
        case "quantile" -> out.add(new Sample(key, t, MathOps.quantile(param, values)));
        case "topk", "bottomk" -> out.addAll(top(samples, param, op.equals("topk"), t));
        default -> out.add(new Sample(key, t, reduce(op, values, 0, values.length)));
      }
    }
    return new Vector(out);
  }

  /** The group of a series' labels in aggregation {@code a}: by its {@code by} labels, or without its {@code without} ones. */
  static Labels groupKey(Labels labels, Expr.Aggregate a) {
    if (a.without()) {
      Set<String> drop = new HashSet<>(a.grouping());
      drop.add(Labels.METRIC_NAME);
      return labels.without(drop);
    }
    return labels.keep(Set.copyOf(a.grouping()));
  }

  /** An aggregation without a parameter (sum, avg, count, group, min, max, stddev, stdvar) of {@code values[from, to)}. */
  static double reduce(String op, double[] values, int from, int to) {
    return switch (op) {
      case "sum" -> MathOps.sum(values, from, to);
      case "avg" -> MathOps.mean(values, from, to);
      case "count" -> to - from;
      case "group" -> 1;
      case "min" -> extreme(values, from, to, false);
      case "max" -> extreme(values, from, to, true);
      case "stddev" -> Math.sqrt(MathOps.variance(values, from, to));
      case "stdvar" -> MathOps.variance(values, from, to);
      default -> throw new EvalException("unknown aggregation " + op);
    };
  }

  /** The least or greatest of {@code values[from, to)}, NaN only when all are. */
  private static double extreme(double[] values, int from, int to, boolean max) {
    double result = Double.NaN;
    for (int i = from; i < to; i++) {
      double v = values[i];
      if (Double.isNaN(result) || (max ? v > result : v < result)) {
        result = v;
      }
    }
    return result;
  }

  /** The first k of the samples sorted by {@link #rank} (a stable sort: equal values keep their order). */
  static List<Sample> top(List<Sample> samples, double k, boolean top, long t) {
    if (Double.isNaN(k)) {
      throw new EvalException("Parameter value is NaN");
    }
    long n = (long) Math.min(samples.size(), Math.max(0, k >= Long.MAX_VALUE ? Long.MAX_VALUE : k));
    if (k > Long.MAX_VALUE || k < Long.MIN_VALUE) {
      throw new EvalException("Scalar value " + MathOps.formatFloat(k) + " overflows int64");
    }
    if (n < 1) {
      return List.of();
    }
    Comparator<Sample> order = (x, y) -> rank(x.value(), y.value(), top);
    List<Sample> sorted = new ArrayList<>(samples);
    sorted.sort(order);
    List<Sample> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Sample s = sorted.get(i);
      out.add(new Sample(s.labels(), t, s.value()));
    }
    return out;
  }

  /** topk's order (greatest first) or bottomk's (least first), NaN last in both. */
  static int rank(double a, double b, boolean top) {
    if (Double.isNaN(a) && Double.isNaN(b)) {
      return 0;
    }
    if (Double.isNaN(a)) {
      return 1;
    }
    if (Double.isNaN(b)) {
      return -1;
    }
    return top ? Double.compare(b, a) : Double.compare(a, b);
  }
}
