package io.fleetlens.query.prometheus;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Function;


import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fleetlens.core.access.Scope;
import io.fleetlens.core.logs.InvalidQueryException;
import io.fleetlens.core.metrics.LabelMatcher;
import io.fleetlens.core.metrics.Labels;
import io.fleetlens.core.metrics.SeriesStore;
import io.fleetlens.core.metrics.SeriesStoreUnavailableException;
import io.fleetlens.core.metrics.TooManySeriesException;
import io.fleetlens.promql.eval.Engine;
import io.fleetlens.promql.eval.EvalException;
import io.fleetlens.promql.eval.Value;
import io.fleetlens.promql.parse.Expr;
import io.fleetlens.promql.parse.ParseException;
import io.fleetlens.promql.parse.ParsedQuery;
import io.fleetlens.promql.parse.Parser;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.fleetlens.query.access.Scopes;
import io.fleetlens.query.http.BlockingCalls;
import io.fleetlens.query.http.Parameters;
import io.fleetlens.query.http.RequestLimits;

/**
 * The Prometheus HTTP API that Grafana's Prometheus data source calls, with Prometheus' JSON
 * envelope, status codes and error types: {@code /api/v1/query}, {@code /api/v1/query_range} (GET,
 * or POST with a form body), {@code /api/v1/series}, {@code /api/v1/labels},
 * {@code /api/v1/label/<name>/values}, {@code /api/v1/metadata}, {@code /api/v1/status/buildinfo}.
 */
public final class PrometheusApi {

  private static final Logger LOG = LoggerFactory.getLogger(PrometheusApi.class);
  public static final int MAX_POINTS_PER_SERIES = 11_000;

  private final Function<Scope, Engine> engines;
  private final Function<Scope, SeriesStore> stores;
  private final RequestLimits limits;
  private final Clock clock;

  private final PrometheusFailures failures = new PrometheusFailures();

  /**
   * {@code engines} and {@code stores} give the engine and the series store for a caller's scope:
   * ones that read only what the scope may see.
   */
  public PrometheusApi(Function<Scope, Engine> engines, Function<Scope, SeriesStore> stores, RequestLimits limits,
      Clock clock) {
    this.engines = engines;
    this.stores = stores;
    this.limits = limits;
    this.clock = clock;
  }

  public void mount(Router router) {
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

  /** Runs a call off the event loop, answering in Prometheus' envelope; stopped when the caller hangs up. */
  private void run(RoutingContext ctx, Callable<Object> work) {
    BlockingCalls.run(ctx, work, PrometheusApi::reply, failures);
  }

  private static void reply(RoutingContext ctx, Object result) {
    if (result instanceof Engine.Result r) {
      JsonObject body = success(result(r.value()));
      if (!r.warnings().isEmpty()) {
        body.put("warnings", new JsonArray(r.warnings()));
      }
      if (!r.infos().isEmpty()) {
        body.put("infos", new JsonArray(r.infos()));
      }
      ctx.json(body);
    } else {
      ctx.json(success(result));
    }
  }

  /** Prometheus' status codes and error types, each refusal by a limit counted by the limit's name. */
  private final class PrometheusFailures implements BlockingCalls.Failures {

    @Override
    public void answer(RoutingContext ctx, Throwable e) {
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
        case TooManySeriesException t -> {
          limits.count("series");
          error(ctx, 422, "execution", t.getMessage());
        }
        case SeriesStoreUnavailableException r -> error(ctx, 503, "unavailable", r.getMessage());
        default -> {
          LOG.error("query failed", e);
          error(ctx, 500, "internal", e.toString());
        }
      }
    }

    @Override
    public void cancelled() {
      limits.count("cancelled");
    }
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
    ParsedQuery query = Parser.parseQuery(Parameters.required(p, "query"));
    long time = p.get("time") == null || p.get("time").isEmpty() ? clock.millis() : Parameters.millis("time", p.get("time"));
    return engines.apply(scope).query(query, time);
  }

  private Object range(MultiMap p, Scope scope) {
    ParsedQuery query = Parser.parseQuery(Parameters.required(p, "query"));
    long start = Parameters.millis("start", Parameters.required(p, "start"));
    long end = Parameters.millis("end", Parameters.required(p, "end"));
    long step = Parameters.duration("step", Parameters.required(p, "step"));
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

  public static JsonObject result(Value value) {
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
   * {@code {"<metric>": [{"type", "help", "unit"}, ...]}}, as Prometheus answers /api/v1/metadata:
   * of the metric names the caller's series have over the last day (or the range asked).
   */
  private Object metadata(MultiMap p, Scope scope) {
    String metric = Parameters.present(p, "metric") ? p.get("metric") : null;
    long end = Parameters.present(p, "end") ? Parameters.millis("end", p.get("end")) : clock.millis();
    long start = Parameters.present(p, "start") ? Parameters.millis("start", p.get("start")) : end - 86_400_000L;
    JsonObject out = new JsonObject();
    stores.apply(scope).metadata(metric, count(p, "limit"), count(p, "limit_per_metric"), start, end)
        .forEach((name, list) -> {
          JsonArray described = new JsonArray();
          list.forEach(m -> described.add(new JsonObject().put("type", m.type()).put("help", m.help())
              .put("unit", m.unit())));
          out.put(name, described);
        });
    return out;
  }

  /** A whole-number limit as Prometheus takes it: absent, empty or negative means none (0). */
  private static int count(MultiMap p, String name) {
    if (Parameters.present(p, name) && p.get(name).matches("-\\d+")) {
      return 0;
    }
    return Parameters.wholeNumber(p, name, 0, 0, Integer.MAX_VALUE,
        "invalid parameter \"" + name + "\": not a number: " + p.get(name));
  }

  /** The selectors of {@code match[]}, each a list of matchers; none means every series. */
  private static List<List<LabelMatcher>> selectors(MultiMap p) {
    List<List<LabelMatcher>> out = new ArrayList<>();
    for (String selector : p.getAll("match[]")) {
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
      out.add(vs.matchers());
    }
    return out.isEmpty() ? List.of(List.of()) : out;
  }

  /**
   * The series, labels and label-values range: {@code start}..{@code end}; without {@code start}
   * the longest range a request may ask for (limits.max-time-range-ms) up to {@code end} or now,
   * so leaving it out is no way around that limit.
   */
  private long[] timeRange(MultiMap p) {
    long end = Parameters.present(p, "end") ? Parameters.millis("end", p.get("end")) : clock.millis();
    long start = Parameters.present(p, "start") ? Parameters.millis("start", p.get("start"))
        : end - limits.maxTimeRangeMs();
    return new long[] {start, end};
  }

  private Object seriesList(MultiMap p, Scope scope) {
    if (p.getAll("match[]").isEmpty()) {
      throw new InvalidQueryException("match[]", "no match[] parameter provided");
    }
    long[] range = timeRange(p);
    SeriesStore store = stores.apply(scope);
    TreeSet<Labels> found = new TreeSet<>();
    for (List<LabelMatcher> matchers : selectors(p)) {
      found.addAll(store.series(matchers, range[0], range[1]));
    }
    int limit = count(p, "limit");
    JsonArray out = new JsonArray();
    found.stream().limit(limit > 0 ? limit : Long.MAX_VALUE).forEach(l -> out.add(metric(l)));
    return out;
  }

  private Object labelNames(MultiMap p, Scope scope) {
    long[] range = timeRange(p);
    SeriesStore store = stores.apply(scope);
    TreeSet<String> names = new TreeSet<>();
    for (List<LabelMatcher> matchers : selectors(p)) {
      names.addAll(store.labelNames(matchers, range[0], range[1]));
    }
    return new JsonArray(new ArrayList<>(names));
  }

  private Object labelValues(String name, MultiMap p, Scope scope) {
    long[] range = timeRange(p);
    int limit = count(p, "limit");
    SeriesStore store = stores.apply(scope);
    TreeSet<String> values = new TreeSet<>();
    for (List<LabelMatcher> matchers : selectors(p)) {
      values.addAll(store.labelValues(name, matchers, limit, range[0], range[1]));
    }
    return new JsonArray(values.stream().limit(limit > 0 ? limit : Long.MAX_VALUE).toList());
  }

}
