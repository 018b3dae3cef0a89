package io.fleetlens.promql.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fleetlens.core.metrics.Labels;
import io.fleetlens.promql.eval.Value.Sample;
import io.fleetlens.promql.eval.Value.Scalar;
import io.fleetlens.promql.eval.Value.Vector;
import io.fleetlens.promql.parse.Expr;
import io.fleetlens.promql.parse.Expr.VectorMatching;
import io.fleetlens.promql.parse.Expr.VectorMatching.Cardinality;

/** Arithmetic, comparison and set operators between scalars and instant vectors, with vector matching. */
final class BinaryOps {

  private BinaryOps() {
  }

  static Value binary(Engine.Evaluation ev, Expr.Binary b, long t) {
    Value lhs = ev.eval(b.lhs(), t);
    Value rhs = ev.eval(b.rhs(), t);
    if (lhs instanceof Scalar l && rhs instanceof Scalar r) {
      double v = apply(b.op(), l.value(), r.value());
      if (b.isComparison()) {
        v = compare(b.op(), l.value(), r.value()) ? 1 : 0;
      }
      return new Scalar(t, v);
    }
    if (lhs instanceof Vector l && rhs instanceof Scalar r) {
      return vectorScalar(ev, b, l, r.value(), false, t);
    }
    if (lhs instanceof Scalar l && rhs instanceof Vector r) {
      return vectorScalar(ev, b, r, l.value(), true, t);
    }
    Vector l = (Vector) lhs;
    Vector r = (Vector) rhs;
    if (b.isSetOperator()) {
      return setOperation(b, l, r);
    }
    return vectorVector(ev, b, l, r, t);
  }

  private static Vector vectorScalar(Engine.Evaluation ev, Expr.Binary b, Vector vector, double scalar,
      boolean scalarOnLeft, long t) {
    List<Sample> out = new ArrayList<>();
    boolean comparison = b.isComparison();
    for (Sample s : vector.samples()) {
      double l = scalarOnLeft ? scalar : s.value();
      double r = scalarOnLeft ? s.value() : scalar;
      if (comparison) {
        boolean keep = compare(b.op(), l, r);
        if (b.returnBool()) {
          out.add(new Sample(s.labels().withoutMetricName(), t, keep ? 1 : 0));
        } else if (keep) {
          out.add(new Sample(s.labels(), t, s.value()));
        }
      } else {
        out.add(new Sample(s.labels().withoutMetricName(), t, apply(b.op(), l, r)));
      }
    }
    return comparison && !b.returnBool() ? new Vector(out) : ev.unique(new Vector(out));
  }

  static String signature(Labels labels, VectorMatching matching) {
    Labels key;
    if (matching == null || !matching.on()) {
      Set<String> drop = new HashSet<>(matching == null ? List.of() : matching.labels());
      drop.add(Labels.METRIC_NAME);
      key = labels.without(drop);
    } else {
      key = labels.keep(Set.copyOf(matching.labels()));
    }
    return key.toString();
  }

  private static Vector setOperation(Expr.Binary b, Vector l, Vector r) {
    VectorMatching m = b.matching();
    List<Sample> out = new ArrayList<>();
    switch (b.op()) {
      case "and" -> {
        Set<String> right = new HashSet<>();
        r.samples().forEach(s -> right.add(signature(s.labels(), m)));
        l.samples().stream().filter(s -> right.contains(signature(s.labels(), m))).forEach(out::add);
      }
      case "unless" -> {
        Set<String> right = new HashSet<>();
        r.samples().forEach(s -> right.add(signature(s.labels(), m)));
        l.samples().stream().filter(s -> !right.contains(signature(s.labels(), m))).forEach(out::add);
      }
      default -> {
        Set<String> left = new HashSet<>();
        l.samples().forEach(s -> {
          left.add(signature(s.labels(), m));
          out.add(s);
        });
        r.samples().stream().filter(s -> !left.contains(signature(s.labels(), m))).forEach(out::add);
      }
    }
    return new Vector(out);
  }

  private static Vector vectorVector(Engine.Evaluation ev, Expr.Binary b, Vector lhs, Vector rhs, long t) {
    VectorMatching matching = b.matching() != null ? b.matching()
        : new VectorMatching(Cardinality.ONE_TO_ONE, List.of(), false, List.of());
    Cardinality card = matching.cardinality();
    Vector many = lhs;
    Vector one = rhs;
    boolean swapped = false;
    if (card == Cardinality.ONE_TO_MANY) {
      many = rhs;
      one = lhs;
      swapped = true;
    }
    Map<String, Sample> ones = new HashMap<>();
    for (Sample s : one.samples()) {
      String sig = signature(s.labels(), matching);
      Sample previous = ones.put(sig, s);
      if (previous != null) {
        String side = swapped ? "left" : "right";
        throw new EvalException("found duplicate series for the match group " + sig + " on the " + side
            + " hand-side of the operation: [" + goString(previous.labels()) + ", " + goString(s.labels())
            + "];many-to-many matching not allowed: matching labels must be unique on one side");
      }
    }
    boolean comparison = b.isComparison();
    Map<String, Labels> matchedOneToOne = new HashMap<>();
    Set<Labels> results = new HashSet<>();
    List<Sample> out = new ArrayList<>();
    for (Sample s : many.samples()) {
      String sig = signature(s.labels(), matching);
      Sample other = ones.get(sig);
      if (other == null) {
        continue;
      }
      if (card == Cardinality.ONE_TO_ONE && matchedOneToOne.put(sig, Labels.EMPTY) != null) {
        throw new EvalException("multiple matches for labels: many-to-one matching must be explicit "
            + "(group_left/group_right)");
      }
      double l = swapped ? other.value() : s.value();
      double r = swapped ? s.value() : other.value();
      double value;
      boolean keep = true;
      if (comparison) {
        keep = compare(b.op(), l, r);
        value = b.returnBool() ? (keep ? 1 : 0) : l;
        if (b.returnBool()) {
          keep = true;
        }
      } else {
        value = apply(b.op(), l, r);
      }
      if (!keep) {
        continue;
      }
      Labels labels = resultLabels(s.labels(), other.labels(), b, matching);
      if (card != Cardinality.ONE_TO_ONE && !results.add(labels)) {
        throw new EvalException("multiple matches for labels: grouping labels must ensure unique matches");
      }
      out.add(new Sample(labels, t, value));
    }
    return new Vector(out);
  }

  private static Labels resultLabels(Labels many, Labels one, Expr.Binary b, VectorMatching matching) {
    Map<String, String> labels = many.toMap();
    boolean dropName = !b.isComparison() || b.returnBool();
    if (dropName) {
      labels.remove(Labels.METRIC_NAME);
    }
    if (matching.cardinality() == Cardinality.ONE_TO_ONE) {
      if (matching.on()) {
        labels.keySet().retainAll(matching.labels());
      } else {
        matching.labels().forEach(labels::remove);
      }
    }
    for (String name : matching.include()) {
      String v = one.get(name);
      if (v.isEmpty()) {
        labels.remove(name);
      } else {
        labels.put(name, v);
      }
    }
    return Labels.of(labels);
  }

  /** Labels as Prometheus prints them in messages: {@code {__name__="m", a="b"}}. */
  static String goString(Labels labels) {
    StringBuilder s = new StringBuilder("{");
    for (int i = 0; i < labels.size(); i++) {
      if (i > 0) {
        s.append(", ");
      }
      s.append(labels.name(i)).append("=\"").append(labels.value(i).replace("\\", "\\\\").replace("\"", "\\\""))
          .append('"');
    }
    return s.append('}').toString();
  }

  static boolean compare(String op, double l, double r) {
    return switch (op) {
      case "==" -> l == r;
      case "!=" -> l != r;
      case ">" -> l > r;
      case "<" -> l < r;
      case ">=" -> l >= r;
      case "<=" -> l <= r;
      default -> throw new EvalException("not a comparison: " + op);
    };
  }

  static double apply(String op, double l, double r) {
    return switch (op) {
      case "+" -> l + r;
      case "-" -> l - r;
      case "*" -> l * r;
      case "/" -> l / r;
      case "%" -> l % r;
      case "^" -> Math.pow(l, r);
      case "atan2" -> Math.atan2(l, r);
      case "==", "!=", ">", "<", ">=", "<=" -> compare(op, l, r) ? 1 : 0;
      default -> throw new EvalException("operator " + op + " not allowed here");
    };
  }
}
