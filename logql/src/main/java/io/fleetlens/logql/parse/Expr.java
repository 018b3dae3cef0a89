package io.fleetlens.logql.parse;

import java.util.List;
import java.util.regex.Pattern;

import io.fleetlens.core.metrics.LabelMatcher;

/**
 * A parsed LogQL query: a log query (a stream selector and its pipeline) or a metric query over
 * log ranges, as Loki documents them. Durations are in nanoseconds where LogQL compares them
 * ({@code | latency > 250ms}) and in milliseconds for ranges, steps and offsets.
 */
public sealed interface Expr permits Expr.LogQuery, Expr.MetricQuery {

  /** {@code {app="shop"} |= "error" | json | status >= 500}. */
  record LogQuery(List<LabelMatcher> selector, List<Stage> stages) implements Expr {
    public LogQuery {
      selector = List.copyOf(selector);
      stages = List.copyOf(stages);
    }
  }

  /** One stage of a pipeline, applied to each line in turn. */
  sealed interface Stage permits LineFilter, Parser, LabelFilter, LineFormat, LabelFormat, Drop, Keep, Decolorize,
      Unwrap {
  }

  /** How a line filter matches: contains, does not contain, regex, not regex, pattern, not pattern. */
  enum LineOp {
    CONTAINS("|="), NOT_CONTAINS("!="), MATCHES("|~"), NOT_MATCHES("!~"), PATTERN("|>"), NOT_PATTERN("!>");

    private final String symbol;

    LineOp(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }

    public boolean negated() {
      return this == NOT_CONTAINS || this == NOT_MATCHES || this == NOT_PATTERN;
    }
  }

  /** {@code |= "a" or "b"}: keeps a line matching any value ({@code !=}: matching none). */
  record LineFilter(LineOp op, List<String> values) implements Stage {
    public LineFilter {
      values = List.copyOf(values);
    }
  }

  /** The parsers: they add labels from the line. */
  sealed interface Parser extends Stage permits Json, Logfmt, Regexp, PatternParser, Unpack {
  }

  /** {@code label="path"} of {@code json} or {@code logfmt} with parameters; {@code path} is the label itself when absent. */
  record Extraction(String label, String path) {
  }

  /** {@code | json} (every field, nested keys joined by {@code _}) or {@code | json a="x.y", b}. */
  record Json(List<Extraction> extractions) implements Parser {
    public Json {
      extractions = List.copyOf(extractions);
    }
  }

  /** {@code | logfmt [--strict] [--keep-empty] [a, b="c"]}. */
  record Logfmt(boolean strict, boolean keepEmpty, List<Extraction> extractions) implements Parser {
    public Logfmt {
      extractions = List.copyOf(extractions);
    }
  }

  /** {@code | regexp "(?P<name>...)"}: named groups become labels. */
  record Regexp(String source, Pattern pattern, List<String> names) implements Parser {
    public Regexp {
      names = List.copyOf(names);
    }
  }

  /** {@code | pattern "<ip> - - <_> \"<method> <path> <_>\" <status>"}. */
  record PatternParser(String source, LinePattern pattern) implements Parser {
  }

  /** {@code | unpack}: the JSON object Promtail's {@code pack} wrote, its {@code _entry} becoming the line. */
  record Unpack() implements Parser {
  }

  /** {@code | status >= 500 and method = "GET"}. */
  record LabelFilter(Predicate predicate) implements Stage {
  }

  /** Comparisons of labels, joined by {@code and} / {@code or}. */
  sealed interface Predicate permits And, Or, StringMatch, NumberCompare {
  }

  record And(Predicate left, Predicate right) implements Predicate {
  }

  record Or(Predicate left, Predicate right) implements Predicate {
  }

  /** {@code name = "x"}, {@code !=}, {@code =~}, {@code !~}: as a stream matcher, on the line's labels. */
  record StringMatch(LabelMatcher matcher) implements Predicate {
  }

  enum Compare {
    EQ("=="), NEQ("!="), GT(">"), GTE(">="), LT("<"), LTE("<=");

    private final String symbol;

    Compare(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }

    public boolean test(double left, double right) {
      return switch (this) {
        case EQ -> left == right;
        case NEQ -> left != right;
        case GT -> left > right;
        case GTE -> left >= right;
        case LT -> left < right;
        case LTE -> left <= right;
      };
    }
  }

  /** What a number in a label filter is: a plain number, a duration (in seconds), a byte size. */
  enum Unit {
    NUMBER, DURATION, BYTES
  }

  /** {@code status >= 500}, {@code latency > 250ms} (seconds), {@code size <= 20KB} (bytes). */
  record NumberCompare(String label, Compare op, double value, Unit unit) implements Predicate {
  }

  /** {@code | line_format "{{.method}} {{.path}}"}. */
  record LineFormat(String template) implements Stage {
  }

  /** {@code | label_format dst=src, other="{{.x}}-{{.y}}"}. */
  record LabelFormat(List<Rename> renames) implements Stage {
    public LabelFormat {
      renames = List.copyOf(renames);
    }
  }

  /** {@code dst=src} (rename) or {@code dst="template"}. */
  record Rename(String destination, String source, boolean template) {
  }

  /** {@code | drop a, b="x"}: the labels named, or those whose value matches. */
  record Drop(List<LabelMatcher> labels) implements Stage {
    public Drop {
      labels = List.copyOf(labels);
    }
  }

  /** {@code | keep a, b="x"}: only these labels (and the stream's). */
  record Keep(List<LabelMatcher> labels) implements Stage {
    public Keep {
      labels = List.copyOf(labels);
    }
  }

  /** {@code | decolorize}: ANSI colour codes out of the line. */
  record Decolorize() implements Stage {
  }

  /** How {@code unwrap} reads a label's value. */
  enum Conversion {
    NUMBER, DURATION, DURATION_SECONDS, BYTES
  }

  /** {@code | unwrap latency} or {@code | unwrap duration(latency)}: the sample value of a range aggregation. */
  record Unwrap(String label, Conversion conversion) implements Stage {
  }

  /** A query whose result is numbers: a vector at an instant, a matrix over a range. */
  sealed interface MetricQuery extends Expr permits RangeAggregation, VectorAggregation, Binary, Literal,
      VectorLiteral, LabelReplace {
  }

  /** {@code {app="x"} |= "y" | json | unwrap latency [5m] offset 1h}. */
  record LogRange(LogQuery log, long rangeMs, long offsetMs) {
    /** The unwrap stage, if the pipeline has one (only label filters may follow it). */
    public Unwrap unwrap() {
      return log.stages().stream().filter(Unwrap.class::isInstance).map(Unwrap.class::cast).findFirst().orElse(null);
    }
  }

  /** {@code by (a, b)} or {@code without (a)}. */
  record Grouping(boolean without, List<String> labels) {
    public static final Grouping NONE = new Grouping(true, List.of());

    public Grouping {
      labels = List.copyOf(labels);
    }
  }

  /** {@code rate({...}[5m])}, {@code quantile_over_time(0.99, {...} | unwrap x [5m]) by (pod)}. */
  record RangeAggregation(String function, LogRange range, Double parameter, Grouping grouping)
      implements MetricQuery {
  }

  /** {@code sum by (level) (...)}, {@code topk(5, ...)}. */
  record VectorAggregation(String operator, Grouping grouping, Double parameter, MetricQuery inner)
      implements MetricQuery {
  }

  /** {@code on (a)} / {@code ignoring (a)} and {@code group_left (b)} / {@code group_right} of a binary operation. */
  record Matching(boolean on, List<String> labels, String group, List<String> include) {
    public static final Matching NONE = new Matching(false, List.of(), null, List.of());

    public Matching {
      labels = List.copyOf(labels);
      include = List.copyOf(include);
    }
  }

  /** {@code a / b}, {@code a > bool 3}, {@code a or b}. */
  record Binary(String operator, MetricQuery left, MetricQuery right, boolean bool, Matching matching)
      implements MetricQuery {
  }

  /** A number. */
  record Literal(double value) implements MetricQuery {
  }

  /** {@code vector(1)}. */
  record VectorLiteral(double value) implements MetricQuery {
  }

  /** {@code label_replace(expr, "dst", "$1", "src", "(.*)")}. */
  record LabelReplace(MetricQuery inner, String destination, String replacement, String source, String regex)
      implements MetricQuery {
  }
}
