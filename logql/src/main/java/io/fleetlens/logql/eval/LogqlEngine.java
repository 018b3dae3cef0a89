package io.fleetlens.logql.eval;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.fleetlens.core.logs.LogVolume;
import io.fleetlens.core.logs.LogWindows;
import io.fleetlens.core.metrics.InMemorySeriesStore;
import io.fleetlens.core.metrics.LabelMatcher;
import io.fleetlens.core.metrics.Labels;
import io.fleetlens.logql.eval.LogSource.Direction;
import io.fleetlens.logql.parse.Expr;
import io.fleetlens.promql.eval.Engine;
import io.fleetlens.promql.eval.Value;

/**
 * Answers LogQL over a {@link LogSource}. Log queries read the selected lines (the store applies
 * the selector and the exact line filters), run the pipeline and group the lines into streams by
 * their labels. Metric queries compute each range aggregation over the lines of its ranges, one
 * value per step, and hand the rest (aggregation operators, binary operators, {@code vector()},
 * {@code label_replace}) to the PromQL engine over those series, since LogQL gives them
 * Prometheus' semantics.
 */
public final class LogqlEngine {

  /** How many lines one query may read, and how many series a metric query may make. */
  public record Options(int maxEntries, int maxSeries, Duration timeout) {
    public static Options defaults() {
      return new Options(1_000_000, 10_000, Duration.ofMinutes(2));
    }
  }

  /** A log line of a stream: its time in nanoseconds, its text, and the stored line it came from. */
  public record Entry(long timestampNanos, String line, LogEntry source) {
  }

  /** The lines of one label set, in the query's direction. */
  public record Stream(Map<String, String> labels, List<Entry> entries) {
  }

  /** What a query answers: streams for a log query, a PromQL value for a metric query. */
  public sealed interface Result permits Streams, Metric {
  }

  public record Streams(List<Stream> streams) implements Result {
  }

  public record Metric(Value value) implements Result {
  }

  private static final String SERIES_PREFIX = "__logql_range_";

  private final LogSource source;
  private final Options options;

  public LogqlEngine(LogSource source, Options options) {
    this.source = source;
    this.options = options;
  }

  /**
   * A log query over {@code [start, end)}: at most {@code limit} lines, newest first when BACKWARD.
   * Lines are read in batches from the source's end of the range, so a query stops reading once
   * its pipeline has kept {@code limit} lines; it reads at most {@code maxEntries} in all.
   */
  public Streams logs(Expr.LogQuery query, long startNanos, long endNanos, int limit, Direction direction) {
    Pipeline pipeline = pipeline(query.stages());
    boolean allPushed = query.stages().stream().allMatch(s -> s instanceof Expr.LineFilter f && pushable(f));
    int batch = allPushed ? limit : Math.max(1_000, Math.min(10 * limit, 10_000));
    Map<Map<String, String>, List<Entry>> streams = new LinkedHashMap<>();
    int kept = 0;
    int read = 0;
    long from = startNanos;
    long to = endNanos;
    int seenAtEdge = 0; // lines at the batch's last timestamp already taken: the next batch starts with them again
    LogSource.Selection selection = selection(query);
    while (kept < limit && read < options.maxEntries()) {
      List<LogEntry> lines = source.select(selection, from, to, direction, batch + seenAtEdge);
      int skip = seenAtEdge;
      for (LogEntry e : lines.subList(Math.min(skip, lines.size()), lines.size())) {
        read++;
        Pipeline.Line out = pipeline.process(e);
        if (out != null && kept < limit) {
          streams.computeIfAbsent(new TreeMap<>(out.labels()), k -> new ArrayList<>())
              .add(new Entry(e.timestampNanos(), out.text(), e));
          kept++;
        }
      }
      if (lines.size() < batch + seenAtEdge || lines.isEmpty()) {
        break;
      }
      long edge = lines.get(lines.size() - 1).timestampNanos();
      seenAtEdge = (int) lines.stream().filter(e -> e.timestampNanos() == edge).count();
      if (direction == Direction.BACKWARD) {
        to = edge + 1;
      } else {
        from = edge;
      }
    }
    List<Stream> out = new ArrayList<>();
    streams.forEach((labels, entries) -> out.add(new Stream(labels, entries)));
    return new Streams(out);
  }

  /** A metric query at one instant (nanoseconds): a vector, or a scalar. */
  public Metric instant(Expr.MetricQuery query, long timeNanos) {
    long timeMs = Math.floorDiv(timeNanos, 1_000_000L);
    InMemorySeriesStore series = new InMemorySeriesStore();
    String promql = Promql.of(query, rangeSeries(query, timeMs, timeMs, 1, series));
    return new Metric(withoutName(promql(series).instant(promql, timeMs)));
  }

  /** A metric query at each step of {@code [start, end]} (nanoseconds): a matrix. */
  public Metric range(Expr.MetricQuery query, long startNanos, long endNanos, long stepNanos) {
    long startMs = Math.floorDiv(startNanos, 1_000_000L);
    long endMs = Math.floorDiv(endNanos, 1_000_000L);
    long stepMs = Math.max(1, stepNanos / 1_000_000L);
    InMemorySeriesStore series = new InMemorySeriesStore();
    String promql = Promql.of(query, rangeSeries(query, startMs, endMs, stepMs, series));
    return new Metric(withoutName(promql(series).range(io.fleetlens.promql.parse.Parser.parse(promql), startMs, endMs,
        stepMs)));
  }

  /** Computes every range aggregation of the query at each step into {@code series}, by the names they get there. */
  private Map<Expr.RangeAggregation, String> rangeSeries(Expr.MetricQuery query, long startMs, long endMs,
      long stepMs, InMemorySeriesStore series) {
    Map<Expr.RangeAggregation, String> names = new LinkedHashMap<>();
    collect(query, names);
    java.util.Set<String> grouped = new java.util.HashSet<>();
    grouped(query, grouped);
    Map<Expr.RangeAggregation, List<String>> summedBy = new java.util.HashMap<>();
    summedBy(query, null, summedBy);
    names.forEach((agg, name) -> {
      if (!counted(agg, name, summedBy.get(agg), grouped, startMs, endMs, stepMs, series)) {
        evaluate(agg, name, grouped, startMs, endMs, stepMs, series);
      }
    });
    return names;
  }

  private Engine promql(InMemorySeriesStore series) {
    // each step's value sits exactly at the step: a 1 ms lookback finds it and nothing older
    return new Engine(series, new Engine.Options(1, 50_000_000L, options.timeout(), 60_000));
  }

  private static void collect(Expr.MetricQuery query, Map<Expr.RangeAggregation, String> names) {
    switch (query) {
      case Expr.RangeAggregation r -> names.putIfAbsent(r, SERIES_PREFIX + names.size() + "__");
      case Expr.VectorAggregation v -> collect(v.inner(), names);
      case Expr.Binary b -> {
        collect(b.left(), names);
        collect(b.right(), names);
      }
      case Expr.LabelReplace l -> collect(l.inner(), names);
      case Expr.Literal l -> {
      }
      case Expr.VectorLiteral v -> {
      }
    }
  }

  private static final java.util.Set<String> COUNTABLE = java.util.Set.of("count_over_time", "rate",
      "bytes_over_time", "bytes_rate", "absent_over_time");

  /**
   * A range aggregation of a bare selector ({@code count_over_time({app="x"}[1m])}), counted by the
   * source without reading lines, per the labels a {@code sum by} around it keeps ({@code byLabels};
   * null: per stream): false when the query is of another kind or the source cannot count.
   */
  private boolean counted(Expr.RangeAggregation agg, String name, List<String> byLabels,
      java.util.Set<String> grouped, long startMs, long endMs, long stepMs, InMemorySeriesStore into) {
    Expr.LogRange range = agg.range();
    if (!range.log().stages().isEmpty() || !COUNTABLE.contains(agg.function())) {
      return false;
    }
    boolean absent = agg.function().equals("absent_over_time");
    int steps = (int) ((endMs - startMs) / stepMs + 1);
    LogWindows windows = new LogWindows((startMs - range.offsetMs()) * 1_000_000L, stepMs * 1_000_000L, steps,
        range.rangeMs() * 1_000_000L);
    List<LogVolume> counts = source.count(new LogSource.Counting(range.log().selector(),
        absent ? List.of() : byLabels, grouped, windows, options.maxSeries(), agg.function().startsWith("bytes_")));
    if (counts == null) {
      return false;
    }
    double rangeSeconds = range.rangeMs() / 1000.0;
    java.util.Set<Labels> series = new java.util.HashSet<>();
    boolean[] seen = new boolean[steps];
    for (LogVolume c : counts) {
      seen[c.window()] = true;
      if (absent) {
        continue;
      }
      series.add(c.labels());
      if (series.size() > options.maxSeries()) {
        throw tooManySeries();
      }
      double value = switch (agg.function()) {
        case "count_over_time" -> c.lines();
        case "rate" -> c.lines() / rangeSeconds;
        case "bytes_over_time" -> c.bytes();
        default -> c.bytes() / rangeSeconds; // bytes_rate
      };
      into.add(c.labels().with(Labels.METRIC_NAME, name), startMs + (long) c.window() * stepMs, value);
    }
    if (absent) {
      Labels labels = absentLabels(range.log().selector()).with(Labels.METRIC_NAME, name);
      for (int i = 0; i < steps; i++) {
        if (!seen[i]) {
          into.add(labels, startMs + (long) i * stepMs, 1);
        }
      }
    }
    return true;
  }

  private LogqlException tooManySeries() {
    return new LogqlException(LogqlException.Kind.MAX_SERIES, "the query makes more than " + options.maxSeries()
        + " series (max series limit); aggregate with sum by (...) or narrow the selector");
  }

  /**
   * For each range aggregation, the labels of the {@code sum} directly around it (empty for a plain
   * {@code sum}): counting per those labels instead of per stream gives the same sums. Null where it
   * stands elsewhere too, or under any other operator.
   */
  private static void summedBy(Expr.MetricQuery query, Expr.VectorAggregation parent,
      Map<Expr.RangeAggregation, List<String>> into) {
    switch (query) {
      case Expr.RangeAggregation r -> {
        List<String> labels = null;
        if (parent != null && parent.operator().equals("sum")) {
          if (parent.grouping().equals(Expr.Grouping.NONE)) {
            labels = List.of();
          } else if (!parent.grouping().without()) {
            labels = parent.grouping().labels();
          }
        }
        if (into.containsKey(r) && !java.util.Objects.equals(into.get(r), labels)) {
          labels = null;
        }
        into.put(r, labels);
      }
      case Expr.VectorAggregation v -> summedBy(v.inner(), v, into);
      case Expr.Binary b -> {
        summedBy(b.left(), null, into);
        summedBy(b.right(), null, into);
      }
      case Expr.LabelReplace l -> summedBy(l.inner(), null, into);
      case Expr.Literal l -> {
      }
      case Expr.VectorLiteral v -> {
      }
    }
  }

  /** One range aggregation's value at each step, written into {@code into} as series named {@code name}. */
  private void evaluate(Expr.RangeAggregation agg, String name, java.util.Set<String> grouped, long startMs,
      long endMs, long stepMs, InMemorySeriesStore into) {
    Expr.LogRange range = agg.range();
    Pipeline pipeline = pipeline(range.log().stages(), grouped);
    Expr.Unwrap unwrap = range.unwrap();
    Expr.Predicate afterUnwrap = postUnwrapFilter(range.log().stages());
    long fromNanos = (startMs - range.offsetMs() - range.rangeMs()) * 1_000_000L + 1;
    long toNanos = (endMs - range.offsetMs()) * 1_000_000L + 1;
    List<LogEntry> read = source.select(selection(range.log()), fromNanos, toNanos, Direction.FORWARD,
        options.maxEntries() + 1);
    if (read.size() > options.maxEntries()) {
      throw new LogqlException(LogqlException.Kind.MAX_ENTRIES, "the query reads more than " + options.maxEntries()
          + " lines (max entries limit per query); narrow the selector or the range");
    }
    Map<Labels, Samples> bySeries = new HashMap<>();
    for (LogEntry e : read) {
      Pipeline.Line out = pipeline.process(e);
      if (out == null) {
        continue;
      }
      Map<String, String> labels = new TreeMap<>(out.labels());
      double value;
      if (unwrap == null) {
        value = agg.function().startsWith("bytes") ? e.line().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
            : 1;
      } else {
        String text = labels.remove(unwrap.label());
        Double unwrapped = Unwrapping.value(text, unwrap.conversion());
        if (unwrapped == null) {
          if (!labels.containsKey(Pipeline.ERROR)) {
            labels.put(Pipeline.ERROR, "SampleExtractionErr");
            labels.put(Pipeline.ERROR_DETAILS, text == null ? "label " + unwrap.label() + " not found"
                : "cannot read " + unwrap.label() + "=\"" + text + "\" as a number");
          }
          value = Double.NaN;
        } else {
          value = unwrapped;
        }
        if (!Pipeline.test(afterUnwrap, labels)) {
          continue;
        }
      }
      labels.remove(Pipeline.ERROR_DETAILS); // one series per error, not one per message
      Labels key = Labels.of(group(labels, agg.grouping()));
      refuseErrors(key);
      bySeries.computeIfAbsent(key, k -> new Samples()).add(e.timestampNanos(), value);
      if (bySeries.size() > options.maxSeries()) {
        throw tooManySeries();
      }
    }
    boolean anyAtStep;
    for (long t = startMs; t <= endMs; t += stepMs) {
      long windowEnd = (t - range.offsetMs()) * 1_000_000L;
      long windowStart = windowEnd - range.rangeMs() * 1_000_000L;
      anyAtStep = false;
      for (Map.Entry<Labels, Samples> s : bySeries.entrySet()) {
        Samples window = s.getValue().window(windowStart, windowEnd);
        if (window.size == 0) {
          continue;
        }
        anyAtStep = true;
        if (!agg.function().equals("absent_over_time")) {
          into.add(s.getKey().with(Labels.METRIC_NAME, name), t, RangeFunctions.apply(agg.function(), window.times,
              window.values, window.size, windowStart, windowEnd, agg.parameter()));
        }
      }
      if (agg.function().equals("absent_over_time") && !anyAtStep) {
        into.add(absentLabels(range.log().selector()).with(Labels.METRIC_NAME, name), t, 1);
      }
    }
  }

  /** The label filters after an unwrap: they see the sample's error labels. */
  private static Expr.Predicate postUnwrapFilter(List<Expr.Stage> stages) {
    Expr.Predicate all = new Expr.StringMatch(LabelMatcher.of("__none__", LabelMatcher.Type.EQUAL, ""));
    boolean after = false;
    for (Expr.Stage s : stages) {
      if (s instanceof Expr.Unwrap) {
        after = true;
      } else if (after && s instanceof Expr.LabelFilter f) {
        all = new Expr.And(all, f.predicate());
      }
    }
    return all;
  }

  private static Map<String, String> group(Map<String, String> labels, Expr.Grouping grouping) {
    if (grouping.without()) {
      Map<String, String> out = new TreeMap<>(labels);
      grouping.labels().forEach(out::remove);
      return out;
    }
    Map<String, String> out = new TreeMap<>();
    for (String name : grouping.labels()) {
      if (labels.containsKey(name)) {
        out.put(name, labels.get(name));
      }
    }
    if (labels.containsKey(Pipeline.ERROR)) {
      out.put(Pipeline.ERROR, labels.get(Pipeline.ERROR));
    }
    return out;
  }

  /** absent_over_time's labels: those of the selector's equality matchers, as Prometheus' absent() gives them. */
  private static Labels absentLabels(List<LabelMatcher> selector) {
    Map<String, String> out = new TreeMap<>();
    for (LabelMatcher m : selector) {
      if (m.type() == LabelMatcher.Type.EQUAL) {
        out.put(m.name(), m.value());
      }
    }
    return Labels.of(out);
  }

  /** The labels a metric query groups or matches by anywhere: stored fields it may read by those names. */
  private static void grouped(Expr.MetricQuery query, java.util.Set<String> into) {
    switch (query) {
      case Expr.RangeAggregation r -> {
        if (r.grouping() != null) {
          into.addAll(r.grouping().labels());
        }
      }
      case Expr.VectorAggregation v -> {
        if (v.grouping() != null) {
          into.addAll(v.grouping().labels());
        }
        grouped(v.inner(), into);
      }
      case Expr.Binary b -> {
        if (b.matching() != null) {
          into.addAll(b.matching().labels());
          into.addAll(b.matching().include());
        }
        grouped(b.left(), into);
        grouped(b.right(), into);
      }
      case Expr.LabelReplace l -> {
        into.add(l.source());
        grouped(l.inner(), into);
      }
      case Expr.Literal l -> {
      }
      case Expr.VectorLiteral v -> {
      }
    }
  }

  private static Pipeline pipeline(List<Expr.Stage> stages) {
    return pipeline(stages, java.util.Set.of());
  }

  private static Pipeline pipeline(List<Expr.Stage> stages, java.util.Set<String> grouped) {
    try {
      return new Pipeline(stages, grouped);
    } catch (IllegalArgumentException e) {
      throw new LogqlException(LogqlException.Kind.BAD_QUERY, e.getMessage());
    }
  }

  static boolean pushable(Expr.LineFilter f) {
    return f.op() == Expr.LineOp.CONTAINS && f.values().size() == 1 || f.op() == Expr.LineOp.NOT_CONTAINS;
  }

  /** The selector and the exact line filters before the first stage that changes the line or labels. */
  static LogSource.Selection selection(Expr.LogQuery query) {
    List<String> contains = new ArrayList<>();
    List<String> lacks = new ArrayList<>();
    for (Expr.Stage s : query.stages()) {
      if (!(s instanceof Expr.LineFilter f)) {
        if (s instanceof Expr.LabelFilter) {
          continue; // label filters change nothing a later line filter reads
        }
        break;
      }
      if (f.op() == Expr.LineOp.CONTAINS && f.values().size() == 1) {
        contains.add(f.values().get(0));
      } else if (f.op() == Expr.LineOp.NOT_CONTAINS) {
        lacks.addAll(f.values());
      }
    }
    return new LogSource.Selection(query.selector(), contains, lacks);
  }

  private static Value withoutName(Value value) {
    return switch (value) {
      case Value.Vector v -> new Value.Vector(v.samples().stream()
          .map(s -> s.withLabels(s.labels().withoutMetricName())).toList());
      case Value.Matrix m -> new Value.Matrix(m.series().stream()
          .map(s -> new Value.Series(s.labels().withoutMetricName(), s.times(), s.values()))
          .sorted(Comparator.comparing(Value.Series::labels)).toList());
      default -> value;
    };
  }

  /** Loki refuses a range aggregation whose series still carry a pipeline error, naming it and how to skip it. */
  private static void refuseErrors(Labels series) {
    if (series.has(Pipeline.ERROR)) {
      String error = series.get(Pipeline.ERROR);
      throw new LogqlException(LogqlException.Kind.PIPELINE_ERROR, "pipeline error: '" + error + "' for series: '"
          + series + "'. Use a label filter to intentionally skip this error. (e.g | __error__!=\"" + error + "\")."
          + " To skip all potential errors you can match empty errors.(e.g __error__=\"\")");
    }
  }

  /** One series' samples in time order (lines come oldest first). */
  private static final class Samples {
    private long[] times = new long[16];
    private double[] values = new double[16];
    private int size;

    void add(long t, double v) {
      if (size == times.length) {
        times = java.util.Arrays.copyOf(times, size * 2);
        values = java.util.Arrays.copyOf(values, size * 2);
      }
      times[size] = t;
      values[size++] = v;
    }

    /** The samples with {@code start < t <= end}. */
    Samples window(long start, long end) {
      int from = upperBound(start);
      int to = upperBound(end);
      Samples out = new Samples();
      out.times = java.util.Arrays.copyOfRange(times, from, to);
      out.values = java.util.Arrays.copyOfRange(values, from, to);
      out.size = to - from;
      return out;
    }

    private int upperBound(long t) {
      int lo = 0;
      int hi = size;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (times[mid] <= t) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo;
    }
  }
}
