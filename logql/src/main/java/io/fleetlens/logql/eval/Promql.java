package io.fleetlens.logql.eval;

import java.util.List;
import java.util.Map;

import io.fleetlens.logql.parse.Expr;

/**
 * A LogQL metric query as PromQL text, each range aggregation replaced by the name of the series
 * the engine computed for it: what is left (aggregation and binary operators, {@code vector()},
 * {@code label_replace}) means in LogQL what it means in PromQL.
 */
final class Promql {

  private Promql() {
  }

  static String of(Expr.MetricQuery query, Map<Expr.RangeAggregation, String> names) {
    return switch (query) {
      case Expr.RangeAggregation r -> names.get(r);
      case Expr.Literal l -> number(l.value());
      case Expr.VectorLiteral v -> "vector(" + number(v.value()) + ")";
      case Expr.LabelReplace l -> "label_replace(" + of(l.inner(), names) + ", " + quote(l.destination()) + ", "
          + quote(l.replacement()) + ", " + quote(l.source()) + ", " + quote(l.regex()) + ")";
      case Expr.VectorAggregation v -> aggregation(v, names);
      case Expr.Binary b -> "(" + of(b.left(), names) + ") " + b.operator() + (b.bool() ? " bool" : "")
          + matching(b.matching()) + " (" + of(b.right(), names) + ")";
    };
  }

  private static String aggregation(Expr.VectorAggregation v, Map<Expr.RangeAggregation, String> names) {
    String inner = of(v.inner(), names);
    if (v.operator().equals("sort") || v.operator().equals("sort_desc")) {
      return v.operator() + "(" + inner + ")";
    }
    String grouping = v.grouping() == Expr.Grouping.NONE ? ""
        : (v.grouping().without() ? " without " : " by ") + list(v.grouping().labels());
    String parameter = v.parameter() == null ? "" : number(v.parameter()) + ", ";
    return v.operator() + grouping + " (" + parameter + inner + ")";
  }

  private static String matching(Expr.Matching m) {
    if (m == Expr.Matching.NONE || m.labels().isEmpty() && !m.on() && m.group() == null) {
      return "";
    }
    String out = (m.on() ? " on " : " ignoring ") + list(m.labels());
    if (m.group() != null) {
      out += " " + m.group() + list(m.include());
    }
    return out;
  }

  private static String list(List<String> labels) {
    return "(" + String.join(", ", labels) + ")";
  }

  private static String number(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    return v < 0 ? "(" + Double.toString(v) + ")" : Double.toString(v);
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }
}
