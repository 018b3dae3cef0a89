package io.fleetlens.promql.eval;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fleetlens.core.metrics.LabelMatcher;
import io.fleetlens.core.metrics.Labels;
import io.fleetlens.promql.eval.Engine.RangeArg;
import io.fleetlens.promql.eval.Value.Sample;
import io.fleetlens.promql.eval.Value.Scalar;
import io.fleetlens.promql.eval.Value.Series;
import io.fleetlens.promql.eval.Value.Vector;
import io.fleetlens.promql.parse.Expr;
import io.fleetlens.promql.parse.Functions;

/** The PromQL functions. */
final class Calls {

  private static final Set<String> KEEP_NAME = Set.of("last_over_time", "first_over_time", "sort", "sort_desc",
      "sort_by_label", "sort_by_label_desc", "label_replace", "label_join");
  private static final Set<String> NEED_TWO_POINTS = Set.of("rate", "increase", "delta", "irate", "idelta", "deriv",
      "predict_linear");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  private Calls() {
  }

  static Value call(Engine.Evaluation ev, Expr.Call c, long t) {
    String f = c.function();
    if (Functions.EXPERIMENTAL.contains(f)) {
      throw new EvalException("function \"" + f + "\" is experimental and not enabled");
    }
    List<Expr> args = c.args();
    Value result = switch (f) {
      case "time" -> new Scalar(t, t / 1000.0);
      case "pi" -> new Scalar(t, Math.PI);
      case "scalar" -> {
        Vector v = ev.evalVector(args.get(0), t);
        yield new Scalar(t, v.samples().size() == 1 ? v.samples().get(0).value() : Double.NaN);
      }
      case "vector" -> new Vector(List.of(new Sample(Labels.EMPTY, t, ev.evalScalar(args.get(0), t))));
      case "abs" -> math(ev, args, t, Math::abs);
      case "ceil" -> math(ev, args, t, Math::ceil);
      case "floor" -> math(ev, args, t, Math::floor);
      case "exp" -> math(ev, args, t, Math::exp);
      case "ln" -> math(ev, args, t, Math::log);
      case "log2" -> math(ev, args, t, x -> Math.log(x) / Math.log(2));
      case "log10" -> math(ev, args, t, Math::log10);
      case "sqrt" -> math(ev, args, t, Math::sqrt);
      case "sgn" -> math(ev, args, t, Math::signum);
      case "sin" -> math(ev, args, t, Math::sin);
      case "cos" -> math(ev, args, t, Math::cos);
      case "tan" -> math(ev, args, t, Math::tan);
      case "asin" -> math(ev, args, t, Math::asin);
      case "acos" -> math(ev, args, t, Math::acos);
      case "atan" -> math(ev, args, t, Math::atan);
      case "sinh" -> math(ev, args, t, Math::sinh);
      case "cosh" -> math(ev, args, t, Math::cosh);
      case "tanh" -> math(ev, args, t, Math::tanh);
      case "asinh" -> math(ev, args, t, x -> Double.isInfinite(x) ? x
          : Math.log(x + Math.sqrt(x * x + 1)));
      case "acosh" -> math(ev, args, t, x -> Math.log(x + Math.sqrt(x * x - 1)));
      case "atanh" -> math(ev, args, t, x -> 0.5 * Math.log((1 + x) / (1 - x)));
      case "deg" -> math(ev, args, t, x -> x * 180 / Math.PI);
      case "rad" -> math(ev, args, t, x -> x * Math.PI / 180);
      case "round" -> {
        double to = args.size() > 1 ? ev.evalScalar(args.get(1), t) : 1;
        double inverse = 1 / to;
        yield math(ev, args, t, x -> Math.floor(x * inverse + 0.5) / inverse);
      }
      case "clamp" -> {
        double min = ev.evalScalar(args.get(1), t);
        double max = ev.evalScalar(args.get(2), t);
        if (max < min) {
          yield new Vector(List.of());
        }
        yield math(ev, args, t, x -> Math.max(min, Math.min(max, x)));
      }
      case "clamp_min" -> {
        double min = ev.evalScalar(args.get(1), t);
        yield math(ev, args, t, x -> Math.max(min, x));
      }
      case "clamp_max" -> {
        double max = ev.evalScalar(args.get(1), t);
        yield math(ev, args, t, x -> Math.min(max, x));
      }
      case "timestamp" -> {
        Vector v = ev.evalVector(args.get(0), t);
        boolean selector = unwrap(args.get(0)) instanceof Expr.VectorSelector;
        List<Sample> out = new ArrayList<>();
        for (Sample s : v.samples()) {
          out.add(new Sample(s.labels().withoutMetricName(), t, (selector ? s.timeMs() : t) / 1000.0));
        }
        yield ev.unique(new Vector(out));
      }
      case "day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour", "minute", "month", "year" ->
          date(ev, f, args, t);
      case "absent" -> absent(ev.evalVector(args.get(0), t).samples().isEmpty(), args.get(0), t);
      case "sort", "sort_desc" -> {
        if (ev.rangeQuery()) {
          ev.warn("sort is ineffective for range queries since results are always ordered by labels", c);
        }
        List<Sample> samples = new ArrayList<>(ev.evalVector(args.get(0), t).samples());
        boolean desc = f.equals("sort_desc");
        samples.sort((a, b) -> {
          if (Double.isNaN(a.value())) {
            return Double.isNaN(b.value()) ? 0 : 1;
          }
          if (Double.isNaN(b.value())) {
            return -1;
          }
          return desc ? Double.compare(b.value(), a.value()) : Double.compare(a.value(), b.value());
        });
        yield new Vector(samples);
      }
      case "label_replace" -> labelReplace(ev, args, t);
      case "label_join" -> labelJoin(ev, args, t);
      case "histogram_quantile" -> {
        double q = ev.evalScalar(args.get(0), t);
        if (!(q >= 0 && q <= 1)) {
          ev.warn("quantile value should be between 0 and 1, got " + MathOps.formatFloat(q), args.get(0));
        }
        yield HistogramQuantile.of(q, ev.evalVector(args.get(1), t), t,
            name -> ev.warn("bucket label \"le\" is missing or has a malformed value of \"" + name[1]
                + "\" for metric name \"" + name[0] + "\"", args.get(1)),
            name -> ev.info("input to histogram_quantile needed to be fixed for monotonicity (see "
                + "https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile) for metric name \""
                + name + "\"", args.get(1)));
      }
      case "histogram_count", "histogram_sum", "histogram_avg", "histogram_stddev", "histogram_stdvar",
          "histogram_fraction" -> {
        ev.eval(args.get(args.size() - 1), t);
        yield new Vector(List.of()); // native histograms are not stored yet: no float sample carries one
      }
      default -> overTime(ev, f, args, t);
    };
    return result;
  }

  private static Expr unwrap(Expr e) {
    return e instanceof Expr.Paren p ? unwrap(p.expr()) : e;
  }

  private static Vector math(Engine.Evaluation ev, List<Expr> args, long t, DoubleUnaryOperator op) {
    List<Sample> out = new ArrayList<>();
    for (Sample s : ev.evalVector(args.get(0), t).samples()) {
      out.add(new Sample(s.labels().withoutMetricName(), t, op.applyAsDouble(s.value())));
    }
    return ev.unique(new Vector(out));
  }

  private static Vector date(Engine.Evaluation ev, String f, List<Expr> args, long t) {
    List<Sample> in = args.isEmpty() ? List.of(new Sample(Labels.EMPTY, t, t / 1000.0))
        : ev.evalVector(args.get(0), t).samples();
    List<Sample> out = new ArrayList<>();
    for (Sample s : in) {
      double v = s.value();
      double result;
      if (Double.isNaN(v) || Double.isInfinite(v)) {
        result = v;
      } else {
        ZonedDateTime d = Instant.ofEpochSecond((long) Math.floor(v)).atZone(ZoneOffset.UTC);
        result = switch (f) {
          case "day_of_month" -> d.getDayOfMonth();
          case "day_of_week" -> d.getDayOfWeek().getValue() % 7;
          case "day_of_year" -> d.getDayOfYear();
          case "days_in_month" -> d.toLocalDate().lengthOfMonth();
          case "hour" -> d.getHour();
          case "minute" -> d.getMinute();
          case "month" -> d.getMonthValue();
          default -> d.getYear();
        };
      }
      out.add(new Sample(s.labels().withoutMetricName(), t, result));
    }
    return ev.unique(new Vector(out));
  }

  /** One sample labelled from the selector's equality matchers when the input is empty, else nothing. */
  private static Vector absent(boolean empty, Expr arg, long t) {
    if (!empty) {
      return new Vector(List.of());
    }
    Map<String, String> labels = new LinkedHashMap<>();
    Expr inner = unwrap(arg);
    if (inner instanceof Expr.MatrixSelector ms) {
      inner = ms.selector();
    }
    if (inner instanceof Expr.VectorSelector vs) {
      Set<String> seen = new java.util.HashSet<>();
      Set<String> duplicated = new java.util.HashSet<>();
      for (LabelMatcher m : vs.matchers()) {
        if (m.name().equals(Labels.METRIC_NAME)) {
          continue;
        }
        if (!seen.add(m.name())) {
          duplicated.add(m.name());
        }
        if (m.type() == LabelMatcher.Type.EQUAL) {
          labels.put(m.name(), m.value());
        }
      }
      duplicated.forEach(labels::remove);
    }
    return new Vector(List.of(new Sample(Labels.of(labels), t, 1)));
  }

  private static Vector labelReplace(Engine.Evaluation ev, List<Expr> args, long t) {
    String dst = text(ev, args.get(1), t);
    String replacement = text(ev, args.get(2), t);
    String src = text(ev, args.get(3), t);
    String regex = text(ev, args.get(4), t);
    Pattern pattern;
    try {
      pattern = Pattern.compile("^(?:" + regex + ")$", Pattern.DOTALL);
    } catch (java.util.regex.PatternSyntaxException e) {
      throw new EvalException("invalid regular expression in label_replace(): " + regex);
    }
    if (!LABEL_NAME.matcher(dst).matches()) {
      throw new EvalException("invalid destination label name in label_replace(): " + dst);
    }
    List<Sample> out = new ArrayList<>();
    for (Sample s : ev.evalVector(args.get(0), t).samples()) {
      Matcher m = pattern.matcher(s.labels().get(src));
      if (m.matches()) {
        String value = expand(replacement, m);
        out.add(s.withLabels(s.labels().with(dst, value)));
      } else {
        out.add(s);
      }
    }
    return ev.unique(new Vector(out));
  }

  /** Go regexp's Expand: $1, ${1}, $name, ${name}; $$ is a dollar. */
  static String expand(String template, Matcher m) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      char c = template.charAt(i);
      if (c != '$' || i + 1 >= template.length()) {
        out.append(c);
        i++;
        continue;
      }
      char n = template.charAt(i + 1);
      if (n == '$') {
        out.append('$');
        i += 2;
        continue;
      }
      String name;
      int end;
      if (n == '{') {
        int close = template.indexOf('}', i + 2);
        if (close < 0) {
          out.append(c);
          i++;
          continue;
        }
        name = template.substring(i + 2, close);
        end = close + 1;
      } else {
        int j = i + 1;
        while (j < template.length() && (Character.isLetterOrDigit(template.charAt(j)) || template.charAt(j) == '_')) {
          j++;
        }
        name = template.substring(i + 1, j);
        end = j;
      }
      if (name.isEmpty()) {
        out.append(c);
        i++;
        continue;
      }
      String value = "";
      try {
        if (name.chars().allMatch(Character::isDigit)) {
          int group = Integer.parseInt(name);
          value = group <= m.groupCount() && m.group(group) != null ? m.group(group) : "";
        } else {
          value = m.group(name) == null ? "" : m.group(name);
        }
      } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
        value = "";
      }
      out.append(value);
      i = end;
    }
    return out.toString();
  }

  private static Vector labelJoin(Engine.Evaluation ev, List<Expr> args, long t) {
    String dst = text(ev, args.get(1), t);
    String separator = text(ev, args.get(2), t);
    List<String> sources = new ArrayList<>();
    for (int k = 3; k < args.size(); k++) {
      String src = text(ev, args.get(k), t);
      if (!LABEL_NAME.matcher(src).matches()) {
        throw new EvalException("invalid source label name in label_join(): " + src);
      }
      sources.add(src);
    }
    if (!LABEL_NAME.matcher(dst).matches()) {
      throw new EvalException("invalid destination label name in label_join(): " + dst);
    }
    List<Sample> out = new ArrayList<>();
    for (Sample s : ev.evalVector(args.get(0), t).samples()) {
      List<String> values = new ArrayList<>();
      sources.forEach(src -> values.add(s.labels().get(src)));
      out.add(s.withLabels(s.labels().with(dst, String.join(separator, values))));
    }
    return ev.unique(new Vector(out));
  }

  private static String text(Engine.Evaluation ev, Expr e, long t) {
    return ((Value.Text) ev.eval(e, t)).value();
  }

  // ---- functions over range vectors

  private static Value overTime(Engine.Evaluation ev, String f, List<Expr> args, long t) {
    Expr rangeExpr = f.equals("quantile_over_time") ? args.get(1) : args.get(0);
    RangeArg range = ev.evalRange(rangeExpr, t);
    if (f.equals("absent_over_time")) {
      return absent(range.matrix().series().isEmpty(), rangeExpr, t);
    }
    double param = Double.NaN;
    if (f.equals("quantile_over_time")) {
      param = ev.evalScalar(args.get(0), t);
      if (!(param >= 0 && param <= 1)) {
        ev.warn("quantile value should be between 0 and 1, got " + MathOps.formatFloat(param), args.get(0));
      }
    } else if (f.equals("predict_linear")) {
      param = ev.evalScalar(args.get(1), t);
    }
    List<Sample> out = new ArrayList<>();
    boolean counters = f.equals("rate") || f.equals("increase");
    boolean needTwo = NEED_TWO_POINTS.contains(f);
    for (Series s : range.matrix().series()) {
      if (counters) {
        counterNameInfo(ev, s.labels(), rangeExpr);
      }
      if (needTwo && s.size() < 2) {
        continue; // no result for this series, as in Prometheus
      }
      double v = switch (f) {
        case "deriv" -> s.size() < 2 ? Double.NaN : regression(s, s.times()[0])[0];
        case "predict_linear" -> {
          if (s.size() < 2) {
            yield Double.NaN;
          }
          double[] r = regression(s, t);
          yield r[1] + r[0] * param;
        }
        case "stddev_over_time" -> Math.sqrt(MathOps.variance(s.values(), 0, s.size()));
        case "stdvar_over_time" -> MathOps.variance(s.values(), 0, s.size());
        case "quantile_over_time" -> MathOps.quantile(param, s.values());
        default -> overWindow(f, s.times(), s.values(), 0, s.size(), range.windowStart(), range.windowEnd());
      };
      Labels labels = KEEP_NAME.contains(f) ? s.labels() : s.labels().withoutMetricName();
      out.add(new Sample(labels, t, v));
    }
    return ev.unique(new Vector(out));
  }

  /** The info Prometheus gives for rate() or increase() of a series whose name does not say it is a counter. */
  static void counterNameInfo(Engine.Evaluation ev, Labels labels, Expr at) {
    String name = labels.metricName();
    if (!name.isEmpty() && !name.endsWith("_total") && !name.endsWith("_sum") && !name.endsWith("_count")
        && !name.endsWith("_bucket")) {
      ev.info("metric might not be a counter, name does not end in _total/_sum/_count/_bucket: \"" + name + "\"", at);
    }
  }

  /**
   * A range function with no parameter over the samples from {@code a} to {@code b} (exclusive) of
   * a window from {@code windowStart} to {@code windowEnd}: the one computation behind the
   * step-by-step evaluation here and the all-steps-at-once one ({@link SteppedRange}).
   */
  static double overWindow(String f, long[] times, double[] values, int a, int b, long windowStart, long windowEnd) {
    return overWindow(f, times, values, a, b, windowStart, windowEnd, null);
  }

  /** As above, with the series' counter resets ({@link MathOps#resetsUpTo}, or null) for rate and increase. */
  static double overWindow(String f, long[] times, double[] values, int a, int b, long windowStart, long windowEnd,
      int[] resets) {
    return switch (f) {
      case "rate" -> MathOps.extrapolatedChange(times, values, a, b, windowStart, windowEnd, true, resets)
          / ((windowEnd - windowStart) / 1000.0);
      case "increase" -> MathOps.extrapolatedChange(times, values, a, b, windowStart, windowEnd, true, resets);
      case "delta" -> MathOps.extrapolatedChange(times, values, a, b, windowStart, windowEnd, false);
      case "irate", "idelta" -> {
        if (b - a < 2) {
          yield Double.NaN;
        }
        boolean rate = f.equals("irate");
        double last = values[b - 1];
        double previous = values[b - 2];
        double result = rate && last < previous ? last : last - previous;
        long interval = times[b - 1] - times[b - 2];
        if (interval == 0) {
          yield Double.NaN;
        }
        yield rate ? result / (interval / 1000.0) : result;
      }
      case "resets", "changes" -> {
        boolean changes = f.equals("changes");
        int n = 0;
        for (int k = a + 1; k < b; k++) {
          double x = values[k];
          double y = values[k - 1];
          if (changes ? x != y && !(Double.isNaN(x) && Double.isNaN(y)) : x < y) {
            n++;
          }
        }
        yield n;
      }
      case "avg_over_time" -> MathOps.mean(values, a, b);
      case "sum_over_time" -> MathOps.sum(values, a, b);
      case "count_over_time" -> b - a;
      case "min_over_time", "max_over_time" -> {
        boolean max = f.equals("max_over_time");
        double result = values[a];
        for (int k = a; k < b; k++) {
          double v = values[k];
          if (Double.isNaN(result) || (max ? v > result : v < result)) {
            result = v;
          }
        }
        yield result;
      }
      case "last_over_time" -> values[b - 1];
      case "present_over_time" -> 1;
      default -> throw new EvalException("function \"" + f + "\" is not supported");
    };
  }

  /** Least-squares slope and intercept (at {@code interceptTime}) of the series, compensated sums. */
  private static double[] regression(Series s, long interceptTime) {
    double n = 0;
    double sumX = 0;
    double cX = 0;
    double sumY = 0;
    double cY = 0;
    double sumXY = 0;
    double cXY = 0;
    double sumX2 = 0;
    double cX2 = 0;
    double initY = s.values()[0];
    boolean constY = true;
    for (int k = 0; k < s.size(); k++) {
      double y = s.values()[k];
      if (constY && k > 0 && y != initY) {
        constY = false;
      }
      n++;
      double x = (s.times()[k] - interceptTime) / 1000.0;
      double[] r = MathOps.kahanInc(x, sumX, cX);
      sumX = r[0];
      cX = r[1];
      r = MathOps.kahanInc(y, sumY, cY);
      sumY = r[0];
      cY = r[1];
      r = MathOps.kahanInc(x * y, sumXY, cXY);
      sumXY = r[0];
      cXY = r[1];
      r = MathOps.kahanInc(x * x, sumX2, cX2);
      sumX2 = r[0];
      cX2 = r[1];
    }
    if (constY) {
      if (Double.isInfinite(initY)) {
        return new double[] {Double.NaN, Double.NaN};
      }
      return new double[] {0, initY};
    }
    sumX += cX;
    sumY += cY;
    sumXY += cXY;
    sumX2 += cX2;
    double covXY = sumXY - sumX * sumY / n;
    double varX = sumX2 - sumX * sumX / n;
    double slope = covXY / varX;
    double intercept = sumY / n - slope * sumX / n;
    return new double[] {slope, intercept};
  }
}
