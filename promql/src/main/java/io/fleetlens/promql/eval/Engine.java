package io.fleetlens.promql.eval;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fleetlens.core.metrics.LabelMatcher;
import io.fleetlens.core.metrics.Labels;
import io.fleetlens.core.metrics.SeriesStore;
import io.fleetlens.core.metrics.StaleNaN;
import io.fleetlens.promql.eval.Value.Matrix;
import io.fleetlens.promql.eval.Value.Sample;
import io.fleetlens.promql.eval.Value.Scalar;
import io.fleetlens.promql.eval.Value.Series;
import io.fleetlens.promql.eval.Value.Vector;
import io.fleetlens.promql.parse.Expr;
import io.fleetlens.promql.parse.ParsedQuery;
import io.fleetlens.promql.parse.Parser;

/**
 * Evaluates PromQL over a {@link SeriesStore} with Prometheus' semantics: a 5-minute lookback for
 * instant selectors, left-open range windows, stale markers ending series, subqueries aligned to
 * their step. Each query first reads every selector's series once, for the whole time span the
 * query touches, then evaluates step by step in memory.
 */
public final class Engine {

  /** Limits and defaults of query evaluation. */
  public record Options(long lookbackMs, long maxSamples, Duration timeout, long defaultSubqueryStepMs) {
    public static Options defaults() {
      return new Options(300_000, 50_000_000, Duration.ofMinutes(2), 60_000);
    }
  }

  private final SeriesStore store;
  private final Options options;

  public Engine(SeriesStore store, Options options) {
    this.store = store;
    this.options = options;
  }

  /** A query's value and the warnings and infos Prometheus would attach to it. */
  public record Result(Value value, List<String> warnings, List<String> infos) {
  }

  public Value instant(String query, long timeMs) {
    return instant(Parser.parse(query), timeMs);
  }

  public Value instant(Expr expr, long timeMs) {
    return query(new ParsedQuery("", expr, Map.of()), timeMs).value();
  }

  public Result query(ParsedQuery query, long timeMs) {
    Evaluation evaluation = new Evaluation(query, query.expr(), timeMs, timeMs, 0);
    Value value = evaluation.eval(query.expr(), timeMs);
    return new Result(value, List.copyOf(evaluation.warnings), List.copyOf(evaluation.infos));
  }

  public Matrix range(Expr expr, long startMs, long endMs, long stepMs) {
    return queryRange(new ParsedQuery("", expr, Map.of()), startMs, endMs, stepMs).value() instanceof Matrix m ? m
        : new Matrix(List.of());
  }

  /** A range query: the expression at every step from start to end; scalars become one unlabelled series. */
  public Result queryRange(ParsedQuery query, long startMs, long endMs, long stepMs) {
    Expr expr = query.expr();
    if (expr.type() != Expr.Type.SCALAR && expr.type() != Expr.Type.VECTOR) {
      throw new EvalException("invalid expression type \"" + expr.type().description()
          + "\" for range query, must be Scalar or instant Vector");
    }
    Evaluation evaluation = new Evaluation(query, expr, startMs, endMs, stepMs);
    Map<Labels, List<long[]>> times = new LinkedHashMap<>();
    Map<Labels, List<Double>> values = new HashMap<>();
    for (long t = startMs; t <= endMs; t += stepMs) {
      Value v = evaluation.eval(expr, t);
      switch (v) {
        case Scalar s -> add(times, values, Labels.EMPTY, t, s.value());
        case Vector vec -> {
          for (Sample s : vec.samples()) {
            add(times, values, s.labels(), t, s.value());
          }
        }
        default -> throw new EvalException("unexpected result type for a range query");
      }
      evaluation.checkTime();
    }
    List<Series> series = new ArrayList<>();
    for (Map.Entry<Labels, List<long[]>> e : times.entrySet()) {
      List<Double> vs = values.get(e.getKey());
      long[] ts = new long[vs.size()];
      double[] fs = new double[vs.size()];
      for (int k = 0; k < ts.length; k++) {
        ts[k] = e.getValue().get(k)[0];
        fs[k] = vs.get(k);
      }
      series.add(new Series(e.getKey(), ts, fs));
    }
    series.sort((a, b) -> a.labels().compareTo(b.labels()));
    return new Result(new Matrix(series), List.copyOf(evaluation.warnings), List.copyOf(evaluation.infos));
  }

  private static void add(Map<Labels, List<long[]>> times, Map<Labels, List<Double>> values, Labels labels, long t,
      double v) {
    times.computeIfAbsent(labels, k -> new ArrayList<>()).add(new long[] {t});
    values.computeIfAbsent(labels, k -> new ArrayList<>()).add(v);
  }

  /** A range vector argument: its series and the window they were cut from. */
  record RangeArg(Matrix matrix, long windowStart, long windowEnd) {
    long rangeMs() {
      return windowEnd - windowStart;
    }
  }

  /** One query's evaluation: its time span, the data read for it, and its budget. */
  final class Evaluation {
    final long start;
    final long end;
    final long step;
    private final long deadlineNanos;
    private final Map<List<LabelMatcher>, List<SeriesStore.StoredSeries>> data = new HashMap<>();
    private final Map<List<LabelMatcher>, long[]> windows = new HashMap<>();
    private long samplesLoaded;
    private final ParsedQuery query;
    /** Per aggregation, each input series' group labels (by the labels' identity: the same object every step). */
    private final Map<Expr.Aggregate, Map<Labels, Labels>> groupKeys = new java.util.IdentityHashMap<>();
    private final Map<Expr.Aggregate, Map<Labels, Labels>> groups = new java.util.IdentityHashMap<>();
    /** Per range selector, where each series' window ended at the last step (a range query walks forward). */
    private final Map<Expr.MatrixSelector, Cursor> cursors = new java.util.IdentityHashMap<>();
    /** The range function calls evaluated at every step at once (SteppedRange), and their vectors once made. */
    private final Map<Expr.Call, StepColumns> stepped = new java.util.IdentityHashMap<>();
    /** The aggregations of such calls evaluated at every step at once (SteppedAggregation), and their vectors once made. */
    private final Map<Expr.Aggregate, Vector[]> steppedAggregates = new java.util.IdentityHashMap<>();
    final java.util.Set<String> warnings = new java.util.LinkedHashSet<>();
    final java.util.Set<String> infos = new java.util.LinkedHashSet<>();

    Evaluation(ParsedQuery query, Expr root, long start, long end, long step) {
      this.query = query;
      this.start = start;
      this.end = end;
      this.step = step;
      this.deadlineNanos = System.nanoTime() + options.timeout().toNanos();
      plan(root, start, end, step > 0);
    }

    boolean rangeQuery() {
      return step > 0;
    }

    Map<Labels, Labels> groupKeys(Expr.Aggregate a) {
      return groupKeys.computeIfAbsent(a, k -> new java.util.IdentityHashMap<>());
    }

    /** The one instance of a group's labels that an aggregation uses at every step. */
    Labels canonicalGroup(Expr.Aggregate a, Labels group) {
      return groups.computeIfAbsent(a, k -> new HashMap<>()).computeIfAbsent(group, g -> g);
    }

    void warn(String message, Expr at) {
      warnings.add("PromQL warning: " + message + position(at));
    }

    void info(String message, Expr at) {
      infos.add("PromQL info: " + message + position(at));
    }

    private String position(Expr at) {
      String p = query == null ? null : query.position(at);
      return p == null ? "" : " (" + p + ")";
    }

    /** Stops the evaluation past its deadline, or when its thread was interrupted (the caller went away). */
    void checkTime() {
      if (Thread.currentThread().isInterrupted()) {
        throw new EvalException(EvalException.Kind.CANCELLED, "query cancelled");
      }
      if (System.nanoTime() > deadlineNanos) {
        throw new EvalException(EvalException.Kind.TIMEOUT, "query timed out in expression evaluation");
      }
    }

    /**
     * Records, for each selector, the span of sample times its evaluation can read, and which range
     * function calls are evaluated at every step at once: those of a range query not inside a
     * subquery ({@code steps}), whose evaluation times are the query's steps.
     */
    private void plan(Expr e, long lo, long hi, boolean steps) {
      switch (e) {
        case Expr.VectorSelector vs -> window(vs, lo, hi, options.lookbackMs());
        case Expr.MatrixSelector ms -> window(ms.selector(), lo, hi, ms.rangeMs());
        case Expr.Subquery sq -> {
          long[] span = shifted(sq.at(), sq.offsetMs(), lo, hi);
          plan(sq.expr(), span[0] - sq.rangeMs() - stepOf(sq), span[1], false);
        }
        case Expr.Call c -> {
          if (steps && SteppedRange.applies(c)) {
            stepped.put(c, null);
          }
          c.args().forEach(a -> plan(a, lo, hi, steps));
        }
        case Expr.Aggregate a -> {
          plan(a.expr(), lo, hi, steps);
          if (a.param() != null) {
            plan(a.param(), lo, hi, steps);
          }
          if (steps && SteppedAggregation.applies(a) && unparen(a.expr()) instanceof Expr.Call c
              && stepped.containsKey(c)) {
            steppedAggregates.put(a, null);
          }
        }
        case Expr.Binary b -> {
          plan(b.lhs(), lo, hi, steps);
          plan(b.rhs(), lo, hi, steps);
        }
        case Expr.Unary u -> plan(u.expr(), lo, hi, steps);
        case Expr.Paren p -> plan(p.expr(), lo, hi, steps);
        default -> {
        }
      }
    }

    /** A call's vector at step time {@code t}, all steps' made at the first. */
    private Value steppedCall(Expr.Call c, long t) {
      long k = (t - start) / step;
      if (!isStep(t)) {
        return Calls.call(this, c, t); // not one of the query's steps
      }
      return steppedColumns(c).vector((int) k);
    }

    /** Whether {@code t} is one of the query's steps (an {@code @} or a subquery may ask at others). */
    private boolean isStep(long t) {
      return t >= start && t <= end && (t - start) % step == 0;
    }

    private StepColumns steppedColumns(Expr.Call c) {
      StepColumns columns = stepped.get(c);
      if (columns == null) {
        columns = SteppedRange.evaluate(this, c, series(((Expr.MatrixSelector) c.args().get(0)).selector()));
        stepped.put(c, columns);
      }
      return columns;
    }

    /** An aggregation's vector at step time {@code t}, all steps' made at the first. */
    private Value steppedAggregate(Expr.Aggregate a, long t) {
      if (!isStep(t)) {
        return Aggregations.aggregate(this, a, t); // not one of the query's steps
      }
      Vector[] vectors = steppedAggregates.get(a);
      if (vectors == null) {
        vectors = SteppedAggregation.evaluate(this, a, steppedColumns((Expr.Call) unparen(a.expr())));
        steppedAggregates.put(a, vectors);
      }
      return vectors[(int) ((t - start) / step)];
    }

    private static Expr unparen(Expr e) {
      while (e instanceof Expr.Paren p) {
        e = p.expr();
      }
      return e;
    }

    private long stepOf(Expr.Subquery sq) {
      return sq.stepMs() > 0 ? sq.stepMs() : options.defaultSubqueryStepMs();
    }

    private long[] shifted(Expr.At at, long offset, long lo, long hi) {
      if (at != null) {
        long t = atTime(at);
        return new long[] {t - offset, t - offset};
      }
      return new long[] {lo - offset, hi - offset};
    }

    private void window(Expr.VectorSelector vs, long lo, long hi, long back) {
      long[] span = shifted(vs.at(), vs.offsetMs(), lo, hi);
      windows.merge(vs.matchers(), new long[] {span[0] - back, span[1]},
          (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
    }

    private List<SeriesStore.StoredSeries> series(Expr.VectorSelector vs) {
      return data.computeIfAbsent(vs.matchers(), m -> {
        long[] w = windows.get(m);
        List<SeriesStore.StoredSeries> found = store.select(m, w[0], w[1]);
        for (SeriesStore.StoredSeries s : found) {
          samplesLoaded += s.timestamps().length;
        }
        if (samplesLoaded > options.maxSamples()) {
          throw new EvalException(EvalException.Kind.TOO_MANY_SAMPLES,
              "query processing would load too many samples into memory in query execution");
        }
        return found;
      });
    }

    long atTime(Expr.At at) {
      return switch (at.kind()) {
        case START -> start;
        case END -> end;
        case TIME -> at.timeMs();
      };
    }

    Value eval(Expr e, long t) {
      return switch (e) {
        case Expr.NumberLiteral n -> new Scalar(t, n.value());
        case Expr.StringLiteral s -> new Value.Text(t, s.value());
        case Expr.Paren p -> eval(p.expr(), t);
        case Expr.Unary u -> unary(u, t);
        case Expr.VectorSelector vs -> selectInstant(vs, t);
        case Expr.MatrixSelector ms -> selectRange(ms, t).matrix();
        case Expr.Subquery sq -> subquery(sq, t).matrix();
        case Expr.Call c -> stepped.containsKey(c) ? steppedCall(c, t) : Calls.call(this, c, t);
        case Expr.Aggregate a -> steppedAggregates.containsKey(a) ? steppedAggregate(a, t)
            : Aggregations.aggregate(this, a, t);
        case Expr.Binary b -> BinaryOps.binary(this, b, t);
      };
    }

    Vector evalVector(Expr e, long t) {
      Value v = eval(e, t);
      if (v instanceof Vector vector) {
        return vector;
      }
      throw new EvalException("expected an instant vector, got " + v.getClass().getSimpleName());
    }

    double evalScalar(Expr e, long t) {
      Value v = eval(e, t);
      if (v instanceof Scalar s) {
        return s.value();
      }
      throw new EvalException("expected a scalar, got " + v.getClass().getSimpleName());
    }

    RangeArg evalRange(Expr e, long t) {
      return switch (e) {
        case Expr.MatrixSelector ms -> selectRange(ms, t);
        case Expr.Subquery sq -> subquery(sq, t);
        case Expr.Paren p -> evalRange(p.expr(), t);
        default -> throw new EvalException("expected a range vector");
      };
    }

    private Value unary(Expr.Unary u, long t) {
      Value v = eval(u.expr(), t);
      if (v instanceof Scalar s) {
        return new Scalar(t, -s.value());
      }
      List<Sample> out = new ArrayList<>();
      for (Sample s : ((Vector) v).samples()) {
        out.add(new Sample(s.labels().withoutMetricName(), t, -s.value()));
      }
      return unique(new Vector(out));
    }

    Vector selectInstant(Expr.VectorSelector vs, long t) {
      long ts = (vs.at() != null ? atTime(vs.at()) : t) - vs.offsetMs();
      List<Sample> out = new ArrayList<>();
      for (SeriesStore.StoredSeries s : series(vs)) {
        long[] times = s.timestamps();
        int i = lastAtOrBefore(times, ts);
        if (i >= 0 && times[i] > ts - options.lookbackMs() && !StaleNaN.is(s.values()[i])) {
          out.add(new Sample(s.labels(), times[i], s.values()[i]));
        }
      }
      return new Vector(out);
    }

    RangeArg selectRange(Expr.MatrixSelector ms, long t) {
      Expr.VectorSelector vs = ms.selector();
      long ts = (vs.at() != null ? atTime(vs.at()) : t) - vs.offsetMs();
      long from = ts - ms.rangeMs();
      List<SeriesStore.StoredSeries> all = series(vs);
      Cursor cursor = cursors.get(ms);
      if (cursor == null || cursor.ts > ts || cursor.lo.length != all.size()) {
        cursor = new Cursor(all.size()); // first step, or time went back (a subquery): search afresh
        cursors.put(ms, cursor);
      }
      boolean fresh = cursor.ts == Long.MIN_VALUE;
      cursor.ts = ts;
      List<Series> out = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        SeriesStore.StoredSeries s = all.get(i);
        long[] times = s.timestamps();
        int hi = fresh ? lastAtOrBefore(times, ts) : lastAtOrBefore(times, ts, cursor.hi[i]);
        int lo = (fresh ? lastAtOrBefore(times, from) : lastAtOrBefore(times, from, cursor.lo[i] - 1)) + 1;
        cursor.hi[i] = hi;
        cursor.lo[i] = lo;
        if (hi < lo) {
          continue;
        }
        double[] values = s.values();
        int n = 0;
        long[] pt = new long[hi - lo + 1];
        double[] pv = new double[hi - lo + 1];
        for (int k = lo; k <= hi; k++) {
          if (!StaleNaN.is(values[k])) {
            pt[n] = times[k];
            pv[n++] = values[k];
          }
        }
        if (n == pt.length) {
          out.add(new Series(s.labels(), pt, pv));
        } else if (n > 0) {
          out.add(new Series(s.labels(), Arrays.copyOf(pt, n), Arrays.copyOf(pv, n)));
        }
      }
      return new RangeArg(new Matrix(out), from, ts);
    }

    RangeArg subquery(Expr.Subquery sq, long t) {
      long ts = (sq.at() != null ? atTime(sq.at()) : t) - sq.offsetMs();
      long stepMs = stepOf(sq);
      long from = ts - sq.rangeMs();
      long first = Math.floorDiv(from, stepMs) * stepMs;
      if (first <= from) {
        first += stepMs;
      }
      Map<Labels, List<double[]>> points = new LinkedHashMap<>();
      for (long st = first; st <= ts; st += stepMs) {
        Value v = eval(sq.expr(), st);
        if (v instanceof Vector vec) {
          for (Sample s : vec.samples()) {
            points.computeIfAbsent(s.labels(), k -> new ArrayList<>()).add(new double[] {st, s.value()});
          }
        } else if (v instanceof Scalar s) {
          points.computeIfAbsent(Labels.EMPTY, k -> new ArrayList<>()).add(new double[] {st, s.value()});
        }
        checkTime();
      }
      List<Series> out = new ArrayList<>();
      for (Map.Entry<Labels, List<double[]>> e : points.entrySet()) {
        long[] pt = new long[e.getValue().size()];
        double[] pv = new double[pt.length];
        for (int k = 0; k < pt.length; k++) {
          pt[k] = (long) e.getValue().get(k)[0];
          pv[k] = e.getValue().get(k)[1];
        }
        out.add(new Series(e.getKey(), pt, pv));
      }
      return new RangeArg(new Matrix(out), from, ts);
    }

    /** Fails, as Prometheus does, when an operation left two samples with the same labels. */
    Vector unique(Vector v) {
      if (v.samples().size() > 1) {
        java.util.Set<Labels> seen = new java.util.HashSet<>();
        for (Sample s : v.samples()) {
          if (!seen.add(s.labels())) {
            throw new EvalException("vector cannot contain metrics with the same labelset");
          }
        }
      }
      return v;
    }
  }

  /** Where each series' window of a range selector ended at the last step evaluated ({@code ts}). */
  private static final class Cursor {
    long ts = Long.MIN_VALUE;
    final int[] lo;
    final int[] hi;

    Cursor(int series) {
      lo = new int[series];
      hi = new int[series];
    }
  }

  /**
   * The last index whose time is at or before {@code t}, knowing that index {@code from} (or -1)
   * is at or before it: a few steps forward, then a binary search over the rest.
   */
  static int lastAtOrBefore(long[] times, long t, int from) {
    int i = from;
    for (int k = 0; k < 8; k++) {
      if (i + 1 >= times.length || times[i + 1] > t) {
        return i;
      }
      i++;
    }
    return lastAtOrBefore(times, t, i + 1, i);
  }

  static int lastAtOrBefore(long[] times, long t) {
    return lastAtOrBefore(times, t, 0, -1);
  }

  /** The last index from {@code lo} on whose time is at or before {@code t}, else {@code found}. */
  private static int lastAtOrBefore(long[] times, long t, int lo, int found) {
    int hi = times.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (times[mid] <= t) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

}
