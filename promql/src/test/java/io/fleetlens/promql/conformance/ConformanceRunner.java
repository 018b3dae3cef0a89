package io.fleetlens.promql.conformance;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fleetlens.core.metrics.LabelMatcher;
import io.fleetlens.core.metrics.Labels;
import io.fleetlens.core.metrics.StaleNaN;
import io.fleetlens.core.metrics.InMemorySeriesStore;
import io.fleetlens.promql.eval.Engine;
import io.fleetlens.promql.eval.EvalException;
import io.fleetlens.promql.eval.Value;
import io.fleetlens.promql.parse.Expr;
import io.fleetlens.promql.parse.Functions;
import io.fleetlens.promql.parse.ParseException;
import io.fleetlens.promql.parse.Parser;

/**
 * Runs one test script against a {@link Backend} (the engine over memory, or the whole pipeline
 * over HTTP) and reports each eval as passed, failed or skipped.
 */
public final class ConformanceRunner {

  /** A query's answer: its value and the annotations that came with it. */
  public record Answer(Value value, List<String> warnings, List<String> infos) {
  }

  /** Where a script's data goes and its queries run. */
  public interface Backend {
    void add(Labels series, long timeMs, double value);

    void clear();

    Answer instant(String query, long timeMs);

    Answer range(String query, long startMs, long endMs, long stepMs);
  }

  /** The engine over series held in memory. */
  public static Backend engine() {
    InMemorySeriesStore store = new InMemorySeriesStore();
    Engine engine = new Engine(store, new Engine.Options(300_000, 50_000_000, java.time.Duration.ofSeconds(30), 60_000));
    return new Backend() {
      public void add(Labels series, long timeMs, double value) {
        store.add(series, timeMs, value);
      }

      public void clear() {
        store.clear();
      }

      public Answer instant(String query, long timeMs) {
        Engine.Result r = engine.query(Parser.parseQuery(query), timeMs);
        return new Answer(r.value(), r.warnings(), r.infos());
      }

      public Answer range(String query, long startMs, long endMs, long stepMs) {
        Engine.Result r = engine.queryRange(Parser.parseQuery(query), startMs, endMs, stepMs);
        return new Answer(r.value(), r.warnings(), r.infos());
      }
    };
  }

  public enum Outcome { PASSED, FAILED, SKIPPED }

  public record Result(String file, int line, Outcome outcome, String reason, String text) {
    public String id() {
      return file + ":" + line;
    }
  }

  /** Whole files that test features Prometheus keeps behind feature flags, or native histograms. */
  static final Map<String, String> SKIPPED_FILES = Map.of(
      "native_histograms.test", "native histograms",
      "duration_expression.test", "experimental: duration expressions (promql-duration-expr)",
      "extended_vectors.test", "experimental: anchored and smoothed range selectors",
      "fill-modifier.test", "experimental: fill modifiers of binary operators",
      "type_and_unit.test", "experimental: type and unit labels",
      "info.test", "experimental function: info()",
      "limit.test", "experimental functions: limitk(), limit_ratio()",
      "start_timestamps.test", "experimental: start (created) timestamps",
      "name_label_dropping.test", "experimental: delayed __name__ removal");

  private static final Set<String> HISTOGRAM_FUNCTIONS = Set.of("histogram_count", "histogram_sum", "histogram_avg",
      "histogram_stddev", "histogram_stdvar", "histogram_fraction");
  private static final Set<String> DURATION_FUNCTIONS = Set.of("start", "end", "range", "step", "min_of", "max_of");
  private static final Pattern EXPANSION = Pattern.compile(
      "^([-+]?(?:[0-9.]+(?:[eE][-+]?\\d+)?|Inf|NaN))([+-])((?:[0-9.]+(?:[eE][-+]?\\d+)?|Inf|NaN))x(\\d+)$");
  private static final Pattern REPEAT = Pattern.compile("^([-+]?(?:[0-9.]+(?:[eE][-+]?\\d+)?|Inf|NaN)|_|stale)x(\\d+)$");

  private final Backend backend;
  private final boolean stopAtFirstClear;
  private final Set<String> histogramMetrics = new HashSet<>();

  public ConformanceRunner() {
    this(engine(), false);
  }

  /** {@code stopAtFirstClear}: for backends that cannot forget data, only the script's first part runs. */
  public ConformanceRunner(Backend backend, boolean stopAtFirstClear) {
    this.backend = backend;
    this.stopAtFirstClear = stopAtFirstClear;
  }

  public List<Result> run(Path file) throws Exception {
    String name = file.getFileName().toString();
    List<Result> results = new ArrayList<>();
    for (TestScript.Command command : TestScript.read(file)) {
      switch (command) {
        case TestScript.Load load -> {
          if (!SKIPPED_FILES.containsKey(name)) {
            load(load);
          }
        }
        case TestScript.Clear clear -> {
          if (stopAtFirstClear) {
            return results;
          }
          backend.clear();
          histogramMetrics.clear();
        }
        case TestScript.Eval eval -> {
          try {
            results.add(eval(name, eval));
          } catch (RuntimeException e) {
            results.add(failed(name, eval, "harness could not compare: " + e));
          }
        }
      }
    }
    return results;
  }

  private void load(TestScript.Load load) {
    for (String line : load.series()) {
      String[] split = splitSeries(line);
      Labels labels;
      try {
        labels = series(split[0]);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("load line " + load.line() + ": cannot read series " + split[0], e);
      }
      String values = split[1];
      if (load.withNhcb() && labels.metricName().endsWith("_bucket")) {
        String base = labels.metricName().substring(0, labels.metricName().length() - "_bucket".length());
        histogramMetrics.add(base); // load_with_nhcb also derives a native histogram named like this
      }
      if (values.contains("{{")) {
        histogramMetrics.add(labels.metricName());
        continue;
      }
      List<Double> expanded;
      try {
        expanded = expand(values);
      } catch (RuntimeException e) {
        histogramMetrics.add(labels.metricName()); // a form this harness does not read: its cases are skipped
        continue;
      }
      for (int i = 0; i < expanded.size(); i++) {
        Double v = expanded.get(i);
        if (v != null) {
          backend.add(labels, i * load.stepMs(), v);
        }
      }
    }
  }

  private Result eval(String file, TestScript.Eval eval) {
    String skip = skipReason(file, eval);
    if (skip != null) {
      return new Result(file, eval.line(), Outcome.SKIPPED, skip, eval.text());
    }
    Object result;
    try {
      result = eval.range() ? backend.range(eval.query(), eval.startMs(), eval.endMs(), eval.stepMs())
          : backend.instant(eval.query(), eval.startMs());
    } catch (ParseException | EvalException e) {
      result = e;
    } catch (RuntimeException e) {
      result = e;
      if (!eval.expectFail()) {
        return failed(file, eval, "engine error: " + e);
      }
    }
    if (eval.expectFail()) {
      if (!(result instanceof RuntimeException e)) {
        return failed(file, eval, "expected an error, got a result");
      }
      if (eval.failMessage() != null && !messageMatches(eval, e.getMessage())) {
        return failed(file, eval, "error message differs: " + e.getMessage());
      }
      return passed(file, eval);
    }
    if (result instanceof RuntimeException e) {
      return failed(file, eval, "unexpected error: " + e.getMessage());
    }
    Answer answer = (Answer) result;
    String annotations = annotationMismatch("warning", eval.warn(), answer.warnings());
    if (annotations == null) {
      annotations = annotationMismatch("info", eval.info(), answer.infos());
    }
    if (annotations != null) {
      return failed(file, eval, annotations);
    }
    String mismatch = eval.range() ? compareRange(eval, (Value.Matrix) answer.value())
        : compareInstant(eval, answer.value());
    return mismatch == null ? passed(file, eval) : failed(file, eval, mismatch);
  }

  private static String annotationMismatch(String kind, TestScript.Expectation expected, List<String> actual) {
    if (expected.none() && !actual.isEmpty()) {
      return "expected no " + kind + ", got " + actual;
    }
    if (!expected.expected()) {
      return null;
    }
    if (actual.isEmpty()) {
      return "expected a " + kind + ", got none";
    }
    if (expected.message() == null) {
      return null;
    }
    for (String a : actual) {
      if (expected.regex() ? Pattern.compile(expected.message()).matcher(a).find() : a.equals(expected.message())) {
        return null;
      }
    }
    return "expected the " + kind + " \"" + expected.message() + "\", got " + actual;
  }

  private static boolean messageMatches(TestScript.Eval eval, String actual) {
    String expected = eval.failMessage();
    if (eval.failRegex()) {
      return Pattern.compile(expected).matcher(actual).find();
    }
    return actual.equals(expected) || actual.endsWith(expected) || actual.endsWith(": " + expected);
  }

  private String skipReason(String file, TestScript.Eval eval) {
    String fileReason = SKIPPED_FILES.get(file);
    if (fileReason != null) {
      return fileReason;
    }
    if (eval.text().contains("{{")) {
      return "native histograms in the expected result";
    }
    Matcher call = Pattern.compile("(@\\s*)?([a-z_]+)\\s*\\(").matcher(eval.query());
    while (call.find()) {
      String f = call.group(2);
      if (call.group(1) == null && DURATION_FUNCTIONS.contains(f)) {
        return "experimental: duration expression function " + f + "()";
      }
      if (f.equals("histogram_quantiles")) {
        return "experimental function histogram_quantiles()";
      }
      if (HISTOGRAM_FUNCTIONS.contains(f)) {
        return "native histogram function " + f + "()";
      }
      if (Functions.EXPERIMENTAL.contains(f)) {
        return "experimental function " + f + "()";
      }
    }
    if (!histogramMetrics.isEmpty() && Pattern.compile("(^|[^a-zA-Z0-9_:\"])\\{").matcher(eval.query()).find()
        && expectsIgnoredHistograms(eval)) {
      return "selects by labels alone among native histograms loaded beside the floats";
    }
    for (String metric : histogramMetrics) {
      if (Pattern.compile("\\b" + Pattern.quote(metric) + "\\b").matcher(eval.query()).find()) {
        return "reads native histogram samples of " + metric;
      }
    }
    return null;
  }

  /** Cases that select native histograms with floats and expect the histograms to be reported ignored. */
  private static boolean expectsIgnoredHistograms(TestScript.Eval eval) {
    return eval.info().expected() || eval.warn().expected() || eval.text().contains("histogram");
  }

  // ---- comparing results

  private String compareInstant(TestScript.Eval eval, Value result) {
    List<String> lines = eval.results();
    switch (result) {
      case Value.Scalar s -> {
        if (lines.size() != 1) {
          return "scalar " + s.value() + " where " + lines.size() + " lines were expected";
        }
        double expected = number(lines.get(0));
        return equal(expected, s.value()) ? null : "expected scalar " + lines.get(0) + ", got " + s.value();
      }
      case Value.Text t -> {
        String expected = lines.size() == 1 ? lines.get(0) : "";
        String unquoted = expected.length() >= 2 && "\"`'".indexOf(expected.charAt(0)) >= 0
            ? expected.substring(1, expected.length() - 1) : expected;
        return unquoted.equals(t.value()) ? null : "expected string " + expected + ", got \"" + t.value() + "\"";
      }
      case Value.Vector v -> {
        Map<Labels, Double> expected = new java.util.LinkedHashMap<>();
        List<Labels> order = new ArrayList<>();
        for (String line : lines) {
          String[] split = splitSeries(line);
          Labels labels = series(split[0]);
          List<Double> values = expand(split[1]);
          expected.put(labels, values.isEmpty() ? null : values.get(0));
          order.add(labels);
        }
        if (expected.size() != v.samples().size()) {
          return "expected " + expected.size() + " samples, got " + v.samples().size() + ": " + describe(v);
        }
        for (int i = 0; i < v.samples().size(); i++) {
          Value.Sample s = v.samples().get(i);
          if (!expected.containsKey(s.labels())) {
            return "unexpected sample " + s.labels() + " " + s.value() + "; got " + describe(v);
          }
          Double want = expected.get(s.labels());
          if (want == null || !equal(want, s.value())) {
            return "for " + s.labels() + " expected " + want + ", got " + s.value();
          }
          if (eval.ordered() && !order.get(i).equals(s.labels())) {
            return "expected " + order.get(i) + " at position " + i + ", got " + s.labels();
          }
        }
        return null;
      }
      case Value.Matrix m -> {
        Map<Labels, List<Double>> expected = new HashMap<>();
        for (String line : lines) {
          String[] split = splitSeries(line);
          expected.put(series(split[0]), expand(split[1]));
        }
        if (expected.size() != m.series().size()) {
          return "expected " + expected.size() + " series, got " + m.series().size();
        }
        for (Value.Series s : m.series()) {
          List<Double> want = expected.get(s.labels());
          if (want == null) {
            return "unexpected series " + s.labels();
          }
          List<Double> present = want.stream().filter(java.util.Objects::nonNull).toList();
          if (present.size() != s.size()) {
            return "for " + s.labels() + " expected " + present.size() + " points, got " + s.size();
          }
          for (int k = 0; k < s.size(); k++) {
            if (!equal(present.get(k), s.values()[k])) {
              return "for " + s.labels() + " point " + k + " expected " + present.get(k) + ", got " + s.values()[k];
            }
          }
        }
        return null;
      }
    }
  }

  private String compareRange(TestScript.Eval eval, Value.Matrix result) {
    Map<Labels, List<Double>> expected = new HashMap<>();
    for (String line : eval.results()) {
      String[] split = splitSeries(line);
      expected.put(series(split[0]), expand(split[1]));
    }
    if (expected.size() != result.series().size()) {
      return "expected " + expected.size() + " series, got " + result.series().size() + ": "
          + result.series().stream().map(s -> s.labels().toString()).toList();
    }
    for (Value.Series s : result.series()) {
      List<Double> want = expected.get(s.labels());
      if (want == null) {
        return "unexpected series " + s.labels() + " in " + expected.keySet();
      }
      Map<Long, Double> got = new HashMap<>();
      for (int k = 0; k < s.size(); k++) {
        got.put(s.times()[k], s.values()[k]);
      }
      int steps = 0;
      for (long t = eval.startMs(); t <= eval.endMs(); t += eval.stepMs()) {
        Double w = steps < want.size() ? want.get(steps) : null;
        Double g = got.get(t);
        if (w == null && g != null) {
          return "for " + s.labels() + " at " + t / 1000.0 + "s expected no point, got " + g;
        }
        if (w != null && (g == null || !equal(w, g))) {
          return "for " + s.labels() + " at " + t / 1000.0 + "s expected " + w + ", got " + g;
        }
        steps++;
      }
    }
    return null;
  }

  private static String describe(Value.Vector v) {
    StringBuilder s = new StringBuilder();
    v.samples().stream().limit(5).forEach(x -> s.append(x.labels()).append('=').append(x.value()).append(' '));
    return s.toString();
  }

  static boolean equal(double expected, double actual) {
    if (Double.isNaN(expected) || Double.isNaN(actual)) {
      return Double.isNaN(expected) && Double.isNaN(actual)
          && StaleNaN.is(expected) == StaleNaN.is(actual);
    }
    if (expected == actual) {
      return true;
    }
    double epsilon = 1e-6;
    double absSum = Math.abs(expected) + Math.abs(actual);
    double diff = Math.abs(expected - actual);
    if (expected == 0 || actual == 0 || absSum < Double.MIN_NORMAL) {
      return diff < epsilon * Double.MIN_NORMAL;
    }
    return diff / Math.min(absSum, Double.MAX_VALUE) < epsilon;
  }

  // ---- series and values of the scripts

  /** Splits {@code metric{a="b"} 1 2 3} into the series and its values. */
  static String[] splitSeries(String line) {
    int i = 0;
    boolean quoted = false;
    int depth = 0;
    while (i < line.length()) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          quoted = false;
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == '{') {
        depth++;
      } else if (c == '}') {
        depth--;
        if (depth == 0) {
          i++;
          break;
        }
      } else if (Character.isWhitespace(c) && depth == 0) {
        break;
      }
      i++;
    }
    return new String[] {line.substring(0, i).strip(), line.substring(i).strip()};
  }

  static Labels series(String spec) {
    if (spec.equals("{}")) {
      return Labels.EMPTY;
    }
    if (spec.matches("[-+]?([0-9.]+([eE][-+]?\\d+)?|Inf|NaN)")) {
      return Labels.EMPTY;
    }
    Expr e = Parser.parse(spec);
    if (!(e instanceof Expr.VectorSelector vs)) {
      throw new IllegalArgumentException("not a series: " + spec);
    }
    Map<String, String> labels = new HashMap<>();
    for (LabelMatcher m : vs.matchers()) {
      labels.put(m.name(), m.value());
    }
    return Labels.of(labels);
  }

  /** Expands {@code 1+2x3}, {@code _x2}, {@code stale}, plain numbers; null stands for a missing value. */
  static List<Double> expand(String values) {
    List<Double> out = new ArrayList<>();
    if (values.isBlank()) {
      return out;
    }
    for (String token : values.strip().split("\\s+")) {
      Matcher m = EXPANSION.matcher(token);
      Matcher r = REPEAT.matcher(token);
      if (m.matches()) {
        double start = number(m.group(1));
        double delta = number(m.group(3)) * (m.group(2).equals("-") ? -1 : 1);
        int n = Integer.parseInt(m.group(4));
        for (int k = 0; k <= n; k++) {
          out.add(start + k * delta);
        }
      } else if (r.matches()) {
        String what = r.group(1);
        int n = Integer.parseInt(r.group(2)) + (what.equals("_") ? 0 : 1);
        for (int k = 0; k < n; k++) {
          out.add(what.equals("_") ? null : what.equals("stale") ? StaleNaN.VALUE : number(what));
        }
      } else if (token.equals("_")) {
        out.add(null);
      } else if (token.equals("stale")) {
        out.add(StaleNaN.VALUE);
      } else {
        out.add(number(token));
      }
    }
    return out;
  }

  static double number(String text) {
    return switch (text) {
      case "Inf", "+Inf", "inf", "+inf" -> Double.POSITIVE_INFINITY;
      case "-Inf", "-inf" -> Double.NEGATIVE_INFINITY;
      case "NaN", "nan" -> Double.NaN;
      default -> text.startsWith("0x") ? Long.parseLong(text.substring(2), 16) : Double.parseDouble(text);
    };
  }

  /** The known-failure list of the engine's own conformance run. */
  public static Set<String> knownFailures() throws java.io.IOException {
    Set<String> known = new java.util.LinkedHashSet<>();
    try (java.io.InputStream in = ConformanceRunner.class.getResourceAsStream("/promql-known-failures.txt")) {
      if (in == null) {
        return known;
      }
      for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
        String entry = line.strip();
        if (!entry.isEmpty() && !entry.startsWith("#")) {
          known.add(entry.split("\\s+")[0]);
        }
      }
    }
    return known;
  }

  /** The folder of Prometheus' test scripts: ../shared/conformance/promql from here or any parent. */
  public static Path suite() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolveSibling("shared").resolve("conformance/promql");
      if (java.nio.file.Files.isDirectory(candidate)) {
        return candidate;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("the PromQL test scripts are not at ../shared/conformance/promql");
  }

  private static Result passed(String file, TestScript.Eval eval) {
    return new Result(file, eval.line(), Outcome.PASSED, null, eval.text());
  }

  private static Result failed(String file, TestScript.Eval eval, String reason) {
    return new Result(file, eval.line(), Outcome.FAILED, reason, eval.text());
  }
}
