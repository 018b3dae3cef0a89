package io.fleetlens.promql.parse;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fleetlens.promql.parse.Expr.Type;

/**
 * The functions the parser knows: argument types (the last one repeated when variadic) and the
 * result type. {@link #EXPERIMENTAL} are those Prometheus only enables behind a feature flag.
 */
public final class Functions {

  /** {@code minArgs} of {@code args} are required; {@code maxArgs} -1 means the last repeats. */
  public record Signature(String name, List<Type> args, int minArgs, int maxArgs, Type returns) {
  }

  public static final Set<String> EXPERIMENTAL = Set.of("holt_winters", "double_exponential_smoothing",
      "sort_by_label", "sort_by_label_desc", "info", "mad_over_time", "ts_of_max_over_time", "ts_of_min_over_time",
      "ts_of_last_over_time", "ts_of_first_over_time", "first_over_time", "limitk", "limit_ratio");

  private static final Map<String, Signature> SIGNATURES = new HashMap<>();

  static {
    Type s = Type.SCALAR;
    Type v = Type.VECTOR;
    Type m = Type.MATRIX;
    Type str = Type.STRING;
    for (String f : List.of("abs", "ceil", "floor", "exp", "ln", "log2", "log10", "sqrt", "sgn", "sin", "cos", "tan",
        "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "deg", "rad")) {
      add(f, List.of(v), 1, 1, v);
    }
    for (String f : List.of("rate", "irate", "increase", "delta", "idelta", "deriv", "resets", "changes",
        "avg_over_time", "min_over_time", "max_over_time", "sum_over_time", "count_over_time", "last_over_time",
        "first_over_time", "stddev_over_time", "stdvar_over_time", "present_over_time", "absent_over_time",
        "mad_over_time", "ts_of_max_over_time", "ts_of_min_over_time", "ts_of_last_over_time",
        "ts_of_first_over_time")) {
      add(f, List.of(m), 1, 1, v);
    }
    add("quantile_over_time", List.of(s, m), 2, 2, v);
    add("predict_linear", List.of(m, s), 2, 2, v);
    add("holt_winters", List.of(m, s, s), 3, 3, v);
    add("double_exponential_smoothing", List.of(m, s, s), 3, 3, v);
    add("histogram_quantile", List.of(s, v), 2, 2, v);
    add("label_replace", List.of(v, str, str, str, str), 5, 5, v);
    add("label_join", List.of(v, str, str, str), 3, -1, v);
    add("round", List.of(v, s), 1, 2, v);
    add("clamp", List.of(v, s, s), 3, 3, v);
    add("clamp_min", List.of(v, s), 2, 2, v);
    add("clamp_max", List.of(v, s), 2, 2, v);
    add("time", List.of(), 0, 0, s);
    add("pi", List.of(), 0, 0, s);
    add("timestamp", List.of(v), 1, 1, v);
    for (String f : List.of("day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour", "minute", "month",
        "year")) {
      add(f, List.of(v), 0, 1, v);
    }
    add("absent", List.of(v), 1, 1, v);
    add("sort", List.of(v), 1, 1, v);
    add("sort_desc", List.of(v), 1, 1, v);
    add("sort_by_label", List.of(v, str), 1, -1, v);
    add("sort_by_label_desc", List.of(v, str), 1, -1, v);
    add("scalar", List.of(v), 1, 1, s);
    add("vector", List.of(s), 1, 1, v);
    add("info", List.of(v, v), 1, 2, v);
    for (String f : List.of("histogram_count", "histogram_sum", "histogram_avg", "histogram_stddev",
        "histogram_stdvar")) {
      add(f, List.of(v), 1, 1, v);
    }
    add("histogram_fraction", List.of(s, s, v), 3, 3, v);
  }

  private Functions() {
  }

  private static void add(String name, List<Type> args, int min, int max, Type returns) {
    SIGNATURES.put(name, new Signature(name, args, min, max, returns));
  }

  public static boolean exists(String name) {
    return SIGNATURES.containsKey(name);
  }

  public static Signature signature(String name) {
    Signature signature = SIGNATURES.get(name);
    if (signature == null) {
      throw new IllegalArgumentException("unknown function with name \"" + name + "\"");
    }
    return signature;
  }
}
