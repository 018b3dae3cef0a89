package io.fleetlens.query;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fleetlens.core.access.Scope;
import io.fleetlens.core.logs.InvalidQueryException;
import io.fleetlens.core.metrics.Labels;
import io.fleetlens.promql.eval.Engine;
import io.fleetlens.promql.eval.EvalException;
import io.fleetlens.promql.eval.Value;
import io.fleetlens.promql.parse.Expr;
import io.fleetlens.promql.parse.ParseException;
import io.fleetlens.promql.parse.ParsedQuery;
import io.fleetlens.promql.parse.Parser;
import io.fleetlens.storage.elasticsearch.metrics.ElasticsearchMetadataStore;
import io.fleetlens.storage.elasticsearch.metrics.ElasticsearchSeriesStore;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The Prometheus HTTP API that Grafana's Prometheus data source calls, with Prometheus' JSON
 * envelope, status codes and error types: {@code /api/v1/query}, {@code /api/v1/query_range} (GET,
 * or POST with a form body), {@code /api/v1/series}, {@code /api/v1/labels},
 * {@code /api/v1/label/<name>/values}, {@code /api/v1/metadata}, {@code /api/v1/status/buildinfo}.
 */
final class PrometheusApi {

  private static final Logger LOG = LoggerFactory.getLogger(PrometheusApi.class);
  static final int MAX_POINTS_PER_SERIES = 11_000;

  private final java.util.function.Function<Scope, Engine> engines;
  private final ElasticsearchSeriesStore series;
  private final ElasticsearchMetadataStore metadata;
  private final RequestLimits limits;
  private final Clock clock;

  /** {@code engines} gives the engine for a scope: one that reads only what the scope may see. */
  PrometheusApi(java.util.function.Function<Scope, Engine> engines, ElasticsearchSeriesStore series,
      ElasticsearchMetadataStore metadata, RequestLimits limits, Clock clock) {
    this.engines = engines;
    this.series = series;
    this.metadata = metadata;
    this.limits = limits;
    this.clock = clock;
  }

  void mount(Router router) {
    BodyHandler forms = BodyHandler.create(false).setBodyLimit(1024 * 1024);
    for (String path : List.of("/api/v1/query", "/api/v1/query_range", "/api/v1/series", "/api/v1/labels",
        "/api/v1/label/:name/values")) {
      router.post(path).handler(forms);
    }
    router.route("/api/v1/query").handler(ctx -> run(ctx, () -> instant(params(ctx), Scopes.of(ctx))));
    router.route("/api/v1/query_range").handler(ctx -> run(ctx, () -> range(params(ctx), Scopes.of(ctx))));
    router.route("/api/v1/series").handler(ctx -> run(ctx, () -> seriesList(params(ctx), Scopes.of(ctx))));
    router.route("/api/v1/labels").handler(ctx -> run(ctx, () -> labelNames(params(ctx), Scopes.of(ctx))));
    router.route("/api/v1/label/:name/values").handler(ctx -> run(ctx,
        () -> labelValues(ctx.pathParam("name"), params(ctx), Scopes.of(ctx))));
    router.get("/api/v1/metadata").handler(ctx -> run(ctx, () -> metadata(params(ctx), Scopes.of(ctx))));
    router.get("/api/v1/status/buildinfo").handler(ctx -> ctx.json(success(new JsonObject()
        .put("version", "3.0.0").put("revision", "fleetlens-0.1.0").put("branch", "fleetlens")
        .put("buildUser", "fleetlens").put("buildDate", "20261123-00:00:00").put("goVersion", "none"))));
  }

  /** The query string's parameters and a form body's, within the request limits (Grafana sends forms). */
  private MultiMap params(RoutingContext ctx) {
    MultiMap all = MultiMap.caseInsensitiveMultiMap();
    all.addAll(ctx.queryParams());
    all.addAll(ctx.request().formAttributes());
    if (!ctx.request().formAttributes().isEmpty()) {
      limits.check(all);
    }
    return all;
  }

  /**
   * Runs {@code work} on a worker thread and answers with its result; if the caller goes away
   * first (Grafana cancels a panel's query when the dashboard changes), the worker is interrupted,
   * which stops the evaluation at its next step instead of letting it run to its timeout.
   */
  private void run(RoutingContext ctx, Callable<Object> work) {
    java.util.concurrent.atomic.AtomicReference<Thread> worker = new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.atomic.AtomicBoolean gone = new java.util.concurrent.atomic.AtomicBoolean();
    ctx.response().closeHandler(closed -> {
      gone.set(true);
      synchronized (worker) {
        Thread running = worker.get();
        if (running != null) {
          running.interrupt();
        }
      }
    });
    Callable<Object> cancellable = () -> {
      synchronized (worker) {
        worker.set(Thread.currentThread());
      }
      try {
        if (gone.get()) {
          throw new EvalException(EvalException.Kind.CANCELLED, "query cancelled");
        }
        return work.call();
      } finally {
        synchronized (worker) {
          worker.set(null);
          Thread.interrupted(); // the pool's thread goes back clean
        }
      }
    };
    ctx.vertx().executeBlocking(cancellable, false).onComplete(result -> {
      if (result.succeeded()) {
        if (result.result() instanceof Engine.Result r) {
          JsonObject body = success(result(r.value()));
          if (!r.warnings().isEmpty()) {
            body.put("warnings", new JsonArray(r.warnings()));
          }
          if (!r.infos().isEmpty()) {
            body.put("infos", new JsonArray(r.infos()));
          }
          ctx.json(body);
        } else {
          ctx.json(success(result.result()));
        }
        return;
      }
      Throwable e = result.cause();
      switch (e) {
        case InvalidQueryException q -> error(ctx, 400, "bad_data", q.getMessage());
        case RequestLimits.Exceeded x -> {
          limits.count(x.limit());
          ctx.response().setStatusCode(x.status()).putHeader("Content-Type", "application/json").end(new JsonObject()
              .put("status", "error").put("errorType", "bad_data").put("error", x.getMessage()).put("limit", x.limit())
              .encode());
        }
        case ParseException p -> error(ctx, 400, "bad_data", "invalid parameter \"query\": " + p.getMessage());
        case EvalException x when x.kind() == EvalException.Kind.CANCELLED -> limits.count("cancelled");
        case EvalException x when x.kind() == EvalException.Kind.TIMEOUT -> {
          limits.count("time");
          error(ctx, 503, "timeout", x.getMessage());
        }
        case EvalException x when x.kind() == EvalException.Kind.TOO_MANY_SAMPLES -> {
          limits.count("samples");
          error(ctx, 422, "execution", x.getMessage());
        }
        case EvalException x -> error(ctx, 422, "execution", x.getMessage());
        case ElasticsearchSeriesStore.TooManySeriesException t -> {
          limits.count("series");
          error(ctx, 422, "execution", t.getMessage());
        }
        case ElasticsearchSeriesStore.ReadFailedException r -> error(ctx, 503, "unavailable", r.getMessage());
        default -> {
          LOG.error("query failed", e);
          error(ctx, 500, "internal", e.toString());
        }
      }
    });
  }

  private static JsonObject success(Object data) {
    return new JsonObject().put("status", "success").put("data", data);
  }

  private static void error(RoutingContext ctx, int status, String type, String message) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("status", "error").put("errorType", type).put("error", message).encode());
  }

  // ---- queries

  private Object instant(MultiMap p, Scope scope) {
    ParsedQuery query = Parser.parseQuery(required(p, "query"));
    long time = p.get("time") == null || p.get("time").isEmpty() ? clock.millis() : millis("time", p.get("time"));
    return engines.apply(scope).query(query, time);
  }

  private Object range(MultiMap p, Scope scope) {
    ParsedQuery query = Parser.parseQuery(required(p, "query"));
    long start = millis("start", required(p, "start"));
    long end = millis("end", required(p, "end"));
    long step = duration("step", required(p, "step"));
    if (end < start) {
      throw new InvalidQueryException("end", "end timestamp must not be before start time");
    }
    if (step <= 0) {
      throw new InvalidQueryException("step", "zero or negative query resolution step widths are not accepted. "
          + "Try a positive integer");
    }
    if ((end - start) / step > MAX_POINTS_PER_SERIES) {
      throw new InvalidQueryException("step", "exceeded maximum resolution of 11,000 points per timeseries. "
          + "Try decreasing the query resolution (?step=XX)");
    }
    if (query.expr().type() != Expr.Type.SCALAR && query.expr().type() != Expr.Type.VECTOR) {
      throw new InvalidQueryException("query", "invalid expression type \"" + query.expr().type().description()
          + "\" for range query, must be Scalar or instant Vector");
    }
    return engines.apply(scope).queryRange(query, start, end, step);
  }

  static JsonObject result(Value value) {
    return switch (value) {
      case Value.Scalar s -> new JsonObject().put("resultType", "scalar").put("result", point(s.timeMs(), s.value()));
      case Value.Text t -> new JsonObject().put("resultType", "string")
          .put("result", new JsonArray().add(seconds(t.timeMs())).add(t.value()));
      case Value.Vector v -> {
        JsonArray out = new JsonArray();
        for (Value.Sample s : v.samples()) {
          out.add(new JsonObject().put("metric", metric(s.labels())).put("value", point(s.timeMs(), s.value())));
        }
        yield new JsonObject().put("resultType", "vector").put("result", out);
      }
      case Value.Matrix m -> {
        JsonArray out = new JsonArray();
        for (Value.Series s : m.series()) {
          JsonArray values = new JsonArray();
          for (int k = 0; k < s.size(); k++) {
            values.add(point(s.times()[k], s.values()[k]));
          }
          out.add(new JsonObject().put("metric", metric(s.labels())).put("values", values));
        }
        yield new JsonObject().put("resultType", "matrix").put("result", out);
      }
    };
  }

  private static JsonObject metric(Labels labels) {
    JsonObject metric = new JsonObject();
    labels.forEach(metric::put);
    return metric;
  }

  private static JsonArray point(long timeMs, double value) {
    return new JsonArray().add(seconds(timeMs)).add(formatValue(value));
  }

  /** Unix seconds as Prometheus writes them: a JSON number with up to three decimals. */
  static Number seconds(long timeMs) {
    return timeMs % 1000 == 0 ? (Number) (timeMs / 1000) : (Number) new BigDecimal(timeMs).movePointLeft(3);
  }

  /** A value as Prometheus writes it: Go's shortest float text, NaN, +Inf, -Inf. */
  static String formatValue(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    String s = Double.toString(v);
    if (s.contains("E")) {
      BigDecimal d = new BigDecimal(s);
      int exponent = d.precision() - d.scale() - 1;
      if (exponent < -4 || exponent >= 21) {
        String mantissa = d.movePointLeft(exponent).stripTrailingZeros().toPlainString();
        return mantissa + "e" + (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
      }
      return d.stripTrailingZeros().toPlainString();
    }
    return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
  }

  // ---- series metadata

  /**
   * {@code {"<metric>": [{"type", "help", "unit"}, ...]}}, as Prometheus answers /api/v1/metadata.
   * Descriptions are kept per metric name for the whole fleet, so a caller limited to some tenants
   * gets those of the metric names its own series have (over the usual label range), no others.
   */
  private Object metadata(MultiMap p, Scope scope) {
    String metric = present(p, "metric") ? p.get("metric") : null;
    int limit = intParameter(p, "limit");
    int perMetric = intParameter(p, "limit_per_metric");
    JsonObject out = new JsonObject();
    Map<String, List<io.fleetlens.core.metrics.MetricMetadata>> found = metadata.find(metric,
        scope.isAll() ? limit : 0, perMetric);
    if (!scope.isAll()) {
      // the caller's metric names: of its series over the last day (or the range asked), only the
      // named metric's when one is asked, without the metadata's own limit
      MultiMap names = MultiMap.caseInsensitiveMultiMap();
      names.add("start", present(p, "start") ? p.get("start")
          : Long.toString(clock.millis() / 1000 - 86_400));
      if (present(p, "end")) {
        names.add("end", p.get("end"));
      }
      if (metric != null) {
        names.add("match[]", "{__name__=\"" + metric.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
      }
      java.util.Set<String> visible = new java.util.HashSet<>();
      ((JsonArray) labelValues(Labels.METRIC_NAME, names, scope)).forEach(n -> visible.add((String) n));
      found.keySet().retainAll(visible);
      if (limit > 0 && found.size() > limit) {
        found.keySet().retainAll(found.keySet().stream().limit(limit).toList());
      }
    }
    found.forEach((name, list) -> {
      JsonArray described = new JsonArray();
      list.forEach(m -> described.add(new JsonObject().put("type", m.type()).put("help", m.help())
          .put("unit", m.unit())));
      out.put(name, described);
    });
    return out;
  }

  /** A whole-number parameter; absent, empty or negative means no limit (0). */
  private static int intParameter(MultiMap p, String name) {
    String v = p.get(name);
    if (v == null || v.isEmpty()) {
      return 0;
    }
    try {
      return Math.max(0, Integer.parseInt(v));
    } catch (NumberFormatException e) {
      throw new InvalidQueryException(name, "invalid parameter \"" + name + "\": not a number: " + v);
    }
  }

  private List<Labels> matching(MultiMap p, Scope scope) {
    List<String> selectors = p.getAll("match[]");
    Map<String, Labels> found = new LinkedHashMap<>();
    long[] range = timeRange(p);
    if (selectors.isEmpty()) {
      found.putAll(series.series(List.of(), range[0], range[1]));
    }
    for (String selector : selectors) {
      Expr expr;
      try {
        expr = Parser.parse(selector);
      } catch (ParseException e) {
        throw new InvalidQueryException("match[]", "invalid parameter \"match[]\": " + e.getMessage());
      }
      if (!(expr instanceof Expr.VectorSelector vs)) {
        throw new InvalidQueryException("match[]", "invalid parameter \"match[]\": " + selector
            + " is not a series selector");
      }
      found.putAll(series.series(vs.matchers(), range[0], range[1]));
    }
    if (present(p, "start") || present(p, "end")) {
      found.keySet().retainAll(series.activeSeries(range[0], range[1]));
    }
    List<Labels> out = new ArrayList<>(found.values());
    if (!scope.isAll()) {
      out.removeIf(l -> !scope.sees(l.get("cluster"), l.get("namespace")));
    }
    out.sort(Labels::compareTo);
    int limit = limit(p);
    return limit > 0 && out.size() > limit ? out.subList(0, limit) : out;
  }

  /** {@code start} and {@code end} in ms; without either, all time (without only {@code end}: until now). */
  /**
   * The series, labels and label-values range: {@code start}..{@code end}; without {@code start}
   * the longest range a request may ask for (limits.max-time-range-ms) up to {@code end} or now,
   * so leaving it out is no way around that limit.
   */
  private long[] timeRange(MultiMap p) {
    long end = present(p, "end") ? millis("end", p.get("end")) : clock.millis();
    long start = present(p, "start") ? millis("start", p.get("start")) : end - limits.maxTimeRangeMs();
    return new long[] {start, end};
  }

  private Object seriesList(MultiMap p, Scope scope) {
    if (p.getAll("match[]").isEmpty()) {
      throw new InvalidQueryException("match[]", "no match[] parameter provided");
    }
    JsonArray out = new JsonArray();
    matching(p, scope).forEach(l -> out.add(metric(l)));
    return out;
  }

  private Object labelNames(MultiMap p, Scope scope) {
    if (p.getAll("match[]").isEmpty() && scope.isAll()) {
      long[] range = timeRange(p);
      return new JsonArray(new ArrayList<>(series.labelNames(range[0], range[1])));
    }
    TreeSet<String> names = new TreeSet<>();
    for (Labels l : matching(p, scope)) {
      l.forEach((name, value) -> names.add(name));
    }
    return new JsonArray(new ArrayList<>(names));
  }

  private Object labelValues(String name, MultiMap p, Scope scope) {
    if (p.getAll("match[]").isEmpty() && scope.isAll()) {
      int limit = limit(p);
      long[] range = timeRange(p);
      return new JsonArray(new ArrayList<>(series.labelValues(name, limit > 0 ? limit : 10_000, range[0], range[1])));
    }
    TreeSet<String> values = new TreeSet<>();
    for (Labels l : matching(p, scope)) {
      String v = l.get(name);
      if (!v.isEmpty()) {
        values.add(v);
      }
    }
    return new JsonArray(new ArrayList<>(values));
  }

  // ---- parameters

  private static boolean present(MultiMap p, String name) {
    return p.get(name) != null && !p.get(name).isEmpty();
  }

  private static String required(MultiMap p, String name) {
    String v = p.get(name);
    if (v == null || v.isEmpty()) {
      throw new InvalidQueryException(name, "invalid parameter \"" + name + "\": missing");
    }
    return v;
  }

  private static int limit(MultiMap p) {
    return intParameter(p, "limit");
  }

  static long millis(String name, String value) {
    Instant t = TimeParameter.parse(name, value);
    return t.toEpochMilli();
  }

  /** A step: float seconds, or a Prometheus duration such as {@code 15s} or {@code 1m30s}. */
  static long duration(String name, String value) {
    try {
      if (value.matches("\\d+(\\.\\d+)?")) {
        return new BigDecimal(value).movePointRight(3).longValue();
      }
      return Parser.parseDuration(value);
    } catch (ParseException | NumberFormatException e) {
      throw new InvalidQueryException(name, "invalid parameter \"" + name + "\": cannot parse \"" + value
          + "\" to a valid duration");
    }
  }


}
