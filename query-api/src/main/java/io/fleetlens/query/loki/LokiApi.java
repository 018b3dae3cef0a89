package io.fleetlens.query.loki;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fleetlens.core.access.Scope;
import io.fleetlens.core.logs.InvalidQueryException;
import io.fleetlens.core.logs.LogQuery;
import io.fleetlens.core.logs.LogSelection;
import io.fleetlens.core.logs.LogStore;
import io.fleetlens.core.logs.LogVolume;
import io.fleetlens.core.logs.LogWindows;
import io.fleetlens.core.logs.StoreUnavailableException;
import io.fleetlens.logql.eval.LogSource.Direction;
import io.fleetlens.logql.eval.LogqlEngine;
import io.fleetlens.logql.eval.LogqlException;
import io.fleetlens.logql.parse.Expr;
import io.fleetlens.logql.parse.ParseException;
import io.fleetlens.logql.parse.Parser;
import io.fleetlens.promql.eval.EvalException;
import io.fleetlens.query.access.Scopes;
import io.fleetlens.query.http.BlockingCalls;
import io.fleetlens.query.http.RequestLimits;
import io.fleetlens.query.prometheus.PrometheusApi;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The Loki HTTP API that Grafana's Loki data source calls, in Loki's shapes: {@code query_range}
 * and {@code query} (GET, or POST with a form body) answer LogQL with {@code streams} (log queries;
 * nanosecond timestamps as strings, {@code limit} and {@code direction}) or {@code matrix} /
 * {@code vector} (metric queries); {@code labels}, {@code label/<name>/values}, {@code series};
 * {@code tail} (WebSocket, one shared poll per query); {@code index/stats}, {@code index/volume} and
 * {@code index/volume_range} (store aggregations, no lines read); {@code detected_labels},
 * {@code detected_fields}, {@code patterns} (always empty); {@code status/buildinfo}. A log query
 * asked with {@code X-Loki-Response-Encoding-Flags: categorize-labels} answers Loki's categorized
 * form. Each caller reads its own tenants'
 * lines only, through the scoped log store it is given.
 */
public final class LokiApi implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LokiApi.class);
  private static final long HOUR_NANOS = 3_600_000_000_000L;
  /** The most (label set, step) buckets a volume reads from the store. */
  private static final int MAX_VOLUME_BUCKETS = 100_000;

  private final Function<Scope, LogStore> stores;
  private final LogqlEngine.Options options;
  private final RequestLimits limits;
  private final Clock clock;
  private final LiveTail tail;

  /** {@code stores} gives the log store for a caller's scope: one that reads only what the scope may see. */
  public LokiApi(Function<Scope, LogStore> stores, LogqlEngine.Options options, RequestLimits limits, Clock clock) {
    this.stores = stores;
    this.options = options;
    this.limits = limits;
    this.clock = clock;
    this.tail = new LiveTail(stores, options, clock, 500);
  }

  public void mount(Router router) {
    BodyHandler forms = BodyHandler.create(false).setBodyLimit(1024 * 1024);
    for (String path : List.of("/loki/api/v1/query", "/loki/api/v1/query_range", "/loki/api/v1/index/stats",
        "/loki/api/v1/index/volume", "/loki/api/v1/index/volume_range")) {
      router.post(path).handler(forms);
    }
    router.route("/loki/api/v1/query_range").handler(ctx -> run(ctx, () -> range(params(ctx), Scopes.of(ctx),
        categorized(ctx))));
    router.route("/loki/api/v1/query").handler(ctx -> run(ctx, () -> instant(params(ctx), Scopes.of(ctx))));
    router.get("/loki/api/v1/tail").handler(this::tail);
    router.post("/loki/api/v1/series").handler(forms);
    router.route("/loki/api/v1/series").handler(ctx -> run(ctx, () -> series(params(ctx), Scopes.of(ctx))));
    router.get("/loki/api/v1/labels").handler(ctx -> run(ctx, () -> labels(params(ctx), Scopes.of(ctx))));
    router.get("/loki/api/v1/label/:name/values").handler(ctx -> run(ctx,
        () -> labelValues(ctx.pathParam("name"), params(ctx), Scopes.of(ctx))));
    router.route("/loki/api/v1/index/stats").handler(ctx -> run(ctx, () -> stats(params(ctx), Scopes.of(ctx))));
    router.route("/loki/api/v1/index/volume").handler(ctx -> run(ctx, () -> volume(params(ctx), Scopes.of(ctx),
        false)));
    router.route("/loki/api/v1/index/volume_range").handler(ctx -> run(ctx, () -> volume(params(ctx),
        Scopes.of(ctx), true)));
    router.get("/loki/api/v1/detected_labels").handler(ctx -> run(ctx, () -> detectedLabels(params(ctx),
        Scopes.of(ctx))));
    router.get("/loki/api/v1/detected_fields").handler(ctx -> run(ctx, () -> detectedFields(params(ctx),
        Scopes.of(ctx))));
    router.get("/loki/api/v1/patterns").handler(ctx -> run(ctx, () -> {
      params(ctx);
      return new JsonObject().put("status", "success").put("data", new JsonArray());
    }));
    router.get("/loki/api/v1/status/buildinfo").handler(ctx -> ctx.json(new JsonObject()
        .put("version", "3.4.0").put("revision", "fleetlens-0.1.0").put("branch", "fleetlens")
        .put("buildUser", "fleetlens").put("buildDate", "2026-12-02T00:00:00Z").put("goVersion", "none")));
  }

  /**
   * {@code /loki/api/v1/tail} (WebSocket): the newest {@code limit} lines since {@code start}, then
   * each new line, {@code delay_for} seconds (at most 5) behind; a bad query closes the socket with
   * the reason.
   */
  private void tail(RoutingContext ctx) {
    MultiMap p = ctx.queryParams();
    Scope scope = Scopes.of(ctx);
    String text = p.get("query");
    long now = clock.millis() * 1_000_000L;
    ctx.request().toWebSocket().onSuccess(socket -> {
      try {
        limits.check(p);
        if (text == null || text.isBlank()) {
          throw new InvalidQueryException("query", "invalid parameter \"query\": missing");
        }
        if (!(Parser.parse(text) instanceof Expr.LogQuery log)) {
          throw new InvalidQueryException("query", "tail requires a log query, not a metric query");
        }
        long start = LokiParameters.time(p, "start", now - HOUR_NANOS);
        int delaySeconds = io.fleetlens.query.http.Parameters.wholeNumber(p, "delay_for", 0, 0, 5,
            "invalid parameter \"delay_for\": a whole number of seconds from 0 to 5");
        tail.subscribe(socket, log, text, scope, limit(p), start, delaySeconds * 1_000_000_000L);
      } catch (RuntimeException e) {
        socket.writeTextMessage(new JsonObject().put("status", "error").put("error", e.getMessage())
            .put("message", e.getMessage()).encode());
        socket.close((short) 1008, LiveTail.reason(e.getMessage()));
      }
    }).onFailure(e -> error(ctx, 400, "bad_data", "tail needs a WebSocket upgrade: " + e.getMessage()));
  }

  @Override
  public void close() {
    tail.close();
  }

  private MultiMap params(RoutingContext ctx) {
    MultiMap all = MultiMap.caseInsensitiveMultiMap();
    all.addAll(ctx.queryParams());
    all.addAll(ctx.request().formAttributes());
    limits.check(all);
    return all;
  }

  private LogqlEngine engine(Scope scope) {
    return new LogqlEngine(new StoreLogSource(stores.apply(scope)), options);
  }

  /** Whether the caller asked for Loki's categorized labels (Grafana does, by a header). */
  private static boolean categorized(RoutingContext ctx) {
    String flags = ctx.request().getHeader("X-Loki-Response-Encoding-Flags");
    return flags != null && List.of(flags.split(",")).stream().map(String::strip).anyMatch("categorize-labels"::equals);
  }

  private JsonObject range(MultiMap p, Scope scope, boolean categorized) {
    Expr expr = Parser.parse(required(p, "query"));
    long now = clock.millis() * 1_000_000L;
    long end = LokiParameters.time(p, "end", now);
    long start = LokiParameters.time(p, "start", end - HOUR_NANOS);
    if (end < start) {
      throw new InvalidQueryException("end", "end timestamp must not be before or equal to start time");
    }
    if ((end - start) / 1_000_000L > limits.maxTimeRangeMs()) {
      throw new RequestLimits.Exceeded(400, "time_range", "the query time range exceeds the limit (query length: "
          + (end - start) / 3_600_000_000_000L + "h, limit: " + limits.maxTimeRangeMs() / 3_600_000L + "h)");
    }
    return switch (expr) {
      case Expr.LogQuery log -> streams(engine(scope).logs(log, start, end, limit(p), direction(p)), categorized);
      case Expr.MetricQuery metric -> {
        long step = LokiParameters.step(p, start, end);
        if ((end - start) / step > PrometheusApi.MAX_POINTS_PER_SERIES) {
          throw new InvalidQueryException("step", "exceeded maximum resolution of 11,000 points per timeseries."
              + " Try decreasing the query resolution (?step=XX)");
        }
        yield metric(engine(scope).range(metric, start, end, step));
      }
    };
  }

  private JsonObject instant(MultiMap p, Scope scope) {
    Expr expr = Parser.parse(required(p, "query"));
    long time = LokiParameters.time(p, "time", clock.millis() * 1_000_000L);
    if (!(expr instanceof Expr.MetricQuery metric)) {
      throw new InvalidQueryException("query", "log queries are not supported as an instant query type, please change"
          + " your query to a range query type");
    }
    return metric(engine(scope).instant(metric, time));
  }

  /** {@code /labels}: the stream label names of the lines in range (those a {@code query} selector picks). */
  private JsonObject labels(MultiMap p, Scope scope) throws StoreUnavailableException {
    return new JsonObject().put("status", "success").put("data", new JsonArray(new ArrayList<>(
        stores.apply(scope).labelNames(labelSelection(p)))));
  }

  private JsonObject labelValues(String name, MultiMap p, Scope scope) throws StoreUnavailableException {
    return new JsonObject().put("status", "success").put("data", new JsonArray(new ArrayList<>(
        stores.apply(scope).labelValues(name, labelSelection(p)))));
  }

  /** {@code /series}: the distinct stream label sets of the lines each {@code match[]} selector picks. */
  private JsonObject series(MultiMap p, Scope scope) throws StoreUnavailableException {
    List<String> selectors = p.getAll("match[]");
    if (selectors.isEmpty()) {
      throw new InvalidQueryException("match[]", "invalid parameter \"match[]\": at least one stream selector is"
          + " required");
    }
    java.util.Set<io.fleetlens.core.metrics.Labels> found = new java.util.TreeSet<>();
    for (String selector : selectors) {
      found.addAll(stores.apply(scope).streams(selection(p, selector, 5_000)));
    }
    JsonArray out = new JsonArray();
    for (io.fleetlens.core.metrics.Labels labels : found) {
      JsonObject stream = new JsonObject();
      labels.forEach(stream::put);
      out.add(stream);
    }
    return new JsonObject().put("status", "success").put("data", out);
  }

  /** {@code /index/stats}: how many streams, lines and bytes a selector picks in range ({@code chunks}: streams). */
  private JsonObject stats(MultiMap p, Scope scope) throws StoreUnavailableException {
    LogSelection selection = selection(p, required(p, "query"), MAX_VOLUME_BUCKETS);
    List<LogVolume> volumes = stores.apply(scope).volume(selection, List.copyOf(new java.util.TreeSet<>(
        io.fleetlens.core.logs.StreamLabels.FIXED)), whole(selection));
    long lines = volumes.stream().mapToLong(LogVolume::lines).sum();
    long bytes = volumes.stream().mapToLong(LogVolume::bytes).sum();
    return new JsonObject().put("streams", volumes.size()).put("chunks", volumes.size()).put("entries", lines)
        .put("bytes", bytes);
  }

  /**
   * {@code /index/volume} and {@code /index/volume_range}: the bytes a selector's lines wrote, per
   * label set of {@code targetLabels} (by default the selector's label names), or per label and
   * value with {@code aggregateBy=labels}; the {@code limit} biggest, as a vector at {@code end} or
   * a matrix of {@code step}s.
   */
  private JsonObject volume(MultiMap p, Scope scope, boolean range) throws StoreUnavailableException {
    String query = required(p, "query");
    LogSelection selection = selection(p, query, MAX_VOLUME_BUCKETS);
    List<String> targets = new ArrayList<>();
    String targetLabels = p.get("targetLabels");
    if (targetLabels != null && !targetLabels.isBlank()) {
      for (String name : targetLabels.split(",")) {
        if (!name.isBlank()) {
          targets.add(name.strip());
        }
      }
    } else {
      selection.matchers().forEach(m -> {
        if (!targets.contains(m.name())) {
          targets.add(m.name());
        }
      });
    }
    String aggregateBy = p.get("aggregateBy") == null ? "series" : p.get("aggregateBy");
    if (!aggregateBy.equals("series") && !aggregateBy.equals("labels")) {
      throw new InvalidQueryException("aggregateBy", "invalid parameter \"aggregateBy\": series or labels");
    }
    int limit = io.fleetlens.query.http.Parameters.wholeNumber(p, "limit", 100, 1, 10_000,
        "invalid parameter \"limit\": a whole number from 1 to 10000");
    long start = nanos(selection.start());
    long end = nanos(selection.end());
    LogWindows windows = whole(selection);
    long stepNanos = 0;
    if (range) {
      // windows on whole milliseconds, the first one holding start
      stepNanos = Math.max(1, LokiParameters.step(p, start, end) / 1_000_000) * 1_000_000;
      long firstStart = Math.floorDiv(start - 1, 1_000_000L) * 1_000_000L;
      long steps = Math.max(1, (end - firstStart + stepNanos - 1) / stepNanos);
      if (steps > PrometheusApi.MAX_POINTS_PER_SERIES) {
        throw new InvalidQueryException("step", "exceeded maximum resolution of 11,000 points per timeseries."
            + " Try decreasing the query resolution (?step=XX)");
      }
      windows = new LogWindows(firstStart + stepNanos, stepNanos, (int) steps, stepNanos);
    }
    List<LogVolume> volumes = stores.apply(scope).volume(selection, targets, windows);
    // label set -> time (s) -> bytes
    java.util.Map<io.fleetlens.core.metrics.Labels, java.util.TreeMap<Double, Long>> series = new java.util.HashMap<>();
    for (LogVolume v : volumes) {
      List<io.fleetlens.core.metrics.Labels> keys = new ArrayList<>();
      if (aggregateBy.equals("labels")) {
        v.labels().forEach((name, value) -> keys.add(io.fleetlens.core.metrics.Labels.of(name, value)));
      } else {
        keys.add(v.labels());
      }
      double at = (range ? Math.min(windows.end(v.window()) + 1, end) : end) / 1e9;
      for (io.fleetlens.core.metrics.Labels key : keys) {
        series.computeIfAbsent(key, k -> new java.util.TreeMap<>()).merge(at, v.bytes(), Long::sum);
      }
    }
    List<java.util.Map.Entry<io.fleetlens.core.metrics.Labels, java.util.TreeMap<Double, Long>>> biggest =
        new ArrayList<>(series.entrySet());
    biggest.sort(java.util.Comparator.comparingLong((java.util.Map.Entry<io.fleetlens.core.metrics.Labels,
        java.util.TreeMap<Double, Long>> e) -> e.getValue().values().stream().mapToLong(Long::longValue).sum())
        .reversed().thenComparing(java.util.Map.Entry::getKey));
    JsonArray result = new JsonArray();
    for (var e : biggest.subList(0, Math.min(limit, biggest.size()))) {
      JsonObject metric = new JsonObject();
      e.getKey().forEach(metric::put);
      if (range) {
        JsonArray values = new JsonArray();
        e.getValue().forEach((t, bytes) -> values.add(new JsonArray().add(t).add(Long.toString(bytes))));
        result.add(new JsonObject().put("metric", metric).put("values", values));
      } else {
        long bytes = e.getValue().values().stream().mapToLong(Long::longValue).sum();
        result.add(new JsonObject().put("metric", metric).put("value", new JsonArray().add(end / 1e9)
            .add(Long.toString(bytes))));
      }
    }
    return success(new JsonObject().put("resultType", range ? "matrix" : "vector").put("result", result)
        .put("stats", new JsonObject()));
  }

  /** The one window a selection's range {@code [start, end)} is. */
  private static LogWindows whole(LogSelection selection) {
    return LogWindows.one(nanos(selection.start()) - 1, nanos(selection.end()) - 1);
  }

  private static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  /** {@code /detected_labels}: the stream labels of the lines a selector picks, with how many values each takes. */
  private JsonObject detectedLabels(MultiMap p, Scope scope) throws StoreUnavailableException {
    LogSelection selection = selection(p, p.get("query"), 5_000);
    LogStore store = stores.apply(scope);
    JsonArray out = new JsonArray();
    for (String name : store.labelNames(selection)) {
      out.add(new JsonObject().put("label", name).put("cardinality", store.labelValues(name, selection).size()));
    }
    return new JsonObject().put("detectedLabels", out);
  }

  /**
   * {@code /detected_fields}: the fields of the newest {@code line_limit} lines (1,000 by default) a
   * log query keeps, with their types and cardinalities.
   */
  private JsonObject detectedFields(MultiMap p, Scope scope) {
    if (!(Parser.parse(required(p, "query")) instanceof Expr.LogQuery log)) {
      throw new InvalidQueryException("query", "detected_fields requires a log query, not a metric query");
    }
    long now = clock.millis() * 1_000_000L;
    long end = LokiParameters.time(p, "end", now);
    long start = LokiParameters.time(p, "start", end - HOUR_NANOS);
    int lineLimit = io.fleetlens.query.http.Parameters.wholeNumber(p, "line_limit", 1_000, 1, LogQuery.MAX_LIMIT,
        "invalid parameter \"line_limit\": a whole number from 1 to " + LogQuery.MAX_LIMIT);
    int fieldLimit = io.fleetlens.query.http.Parameters.wholeNumber(p, "field_limit", 1_000, 1, 10_000,
        "invalid parameter \"field_limit\": a whole number from 1 to 10000");
    List<io.fleetlens.logql.eval.LogEntry> lines = new ArrayList<>();
    engine(scope).logs(log, start, end, lineLimit, Direction.BACKWARD).streams()
        .forEach(s -> s.entries().forEach(e -> lines.add(e.source())));
    JsonArray fields = new JsonArray();
    for (io.fleetlens.logql.eval.DetectedFields.Field f : io.fleetlens.logql.eval.DetectedFields.of(lines,
        fieldLimit)) {
      JsonObject field = new JsonObject().put("label", f.label()).put("type", f.type())
          .put("cardinality", f.cardinality()).put("parsers", f.parsers().isEmpty() ? null
              : new JsonArray(new ArrayList<>(f.parsers())));
      if (!f.jsonPath().isEmpty()) {
        field.put("jsonPath", new JsonArray(new ArrayList<>(f.jsonPath())));
      }
      fields.add(field);
    }
    return new JsonObject().put("fields", fields).put("fieldLimit", fieldLimit);
  }

  private LogSelection labelSelection(MultiMap p) {
    return selection(p, p.get("query"), 5_000);
  }

  /** The range ({@code start}..{@code end}, by default the last 6 hours, as Loki's) and a selector's matchers. */
  private LogSelection selection(MultiMap p, String selector, int limit) {
    long end = LokiParameters.time(p, "end", clock.millis() * 1_000_000L);
    long start = LokiParameters.time(p, "start", end - 6 * HOUR_NANOS);
    if (end < start) {
      throw new InvalidQueryException("end", "end timestamp must not be before start time");
    }
    List<io.fleetlens.core.metrics.LabelMatcher> matchers = List.of();
    if (selector != null && !selector.isBlank()) {
      if (!(Parser.parse(selector) instanceof Expr.LogQuery log)) {
        throw new InvalidQueryException("query", "invalid parameter: " + selector + " is not a stream selector");
      }
      matchers = log.selector();
    }
    return new LogSelection(matchers, Instant.ofEpochSecond(0, start), Instant.ofEpochSecond(0, end), true, limit,
        Scope.ALL);
  }

  private static String required(MultiMap p, String name) {
    String v = p.get(name);
    if (v == null || v.isBlank()) {
      throw new InvalidQueryException(name, "invalid parameter \"" + name + "\": missing");
    }
    return v;
  }

  private static int limit(MultiMap p) {
    return io.fleetlens.query.http.Parameters.wholeNumber(p, "limit", 100, 1, LogQuery.MAX_LIMIT,
        "invalid parameter \"limit\": must be a whole number from 1 to " + LogQuery.MAX_LIMIT
            + " (max entries limit per query)");
  }

  private static Direction direction(MultiMap p) {
    String v = p.get("direction");
    if (v == null || v.isEmpty() || v.equalsIgnoreCase("backward")) {
      return Direction.BACKWARD;
    }
    if (v.equalsIgnoreCase("forward")) {
      return Direction.FORWARD;
    }
    throw new InvalidQueryException("direction", "invalid parameter \"direction\": forward or backward");
  }

  private static JsonObject streams(LogqlEngine.Streams result, boolean categorized) {
    if (categorized) {
      return success(new JsonObject().put("resultType", "streams").put("result", CategorizedStreams.of(result))
          .put("encodingFlags", new JsonArray().add("categorize-labels")).put("stats", new JsonObject()));
    }
    JsonArray out = new JsonArray();
    result.streams().forEach(s -> out.add(stream(s.labels(), s.entries())));
    return success(new JsonObject().put("resultType", "streams").put("result", out).put("stats", new JsonObject()));
  }

  /** One stream in Loki's shape: {@code {"stream": {labels}, "values": [["<ns>", "<line>"], ...]}}. */
  static JsonObject stream(java.util.Map<String, String> labels, List<LogqlEngine.Entry> entries) {
    JsonArray values = new JsonArray();
    for (LogqlEngine.Entry e : entries) {
      values.add(new JsonArray().add(Long.toString(e.timestampNanos())).add(e.line()));
    }
    return new JsonObject().put("stream", new JsonObject(new java.util.HashMap<>(labels))).put("values", values);
  }

  private static JsonObject metric(LogqlEngine.Metric result) {
    return success(PrometheusApi.result(result.value()).put("stats", new JsonObject()));
  }

  private static JsonObject success(JsonObject data) {
    return new JsonObject().put("status", "success").put("data", data);
  }

  private void run(RoutingContext ctx, Callable<JsonObject> work) {
    BlockingCalls.run(ctx, work, RoutingContext::json, this::fail);
  }

  /** Loki's status codes, with the message both as Prometheus' {@code error} and as {@code message}. */
  private void fail(RoutingContext ctx, Throwable failure) {
    switch (failure) {
      case ParseException e -> error(ctx, 400, "bad_data", e.getMessage());
      case InvalidQueryException e -> error(ctx, 400, "bad_data", e.getMessage());
      case RequestLimits.Exceeded e -> {
        limits.count(e.limit());
        error(ctx, e.status(), "bad_data", e.getMessage());
      }
      case LogqlException e when e.kind() == LogqlException.Kind.MAX_ENTRIES
          || e.kind() == LogqlException.Kind.MAX_SERIES -> {
        limits.count(e.kind() == LogqlException.Kind.MAX_ENTRIES ? "log_entries" : "series");
        error(ctx, 422, "execution", e.getMessage());
      }
      case LogqlException e -> error(ctx, 400, "bad_data", e.getMessage());
      case EvalException e when e.kind() == EvalException.Kind.TIMEOUT -> error(ctx, 503, "timeout", e.getMessage());
      case EvalException e -> error(ctx, 422, "execution", e.getMessage());
      case StoreUnavailableException e -> {
        LOG.warn("Loki labels failed: {}", e.getMessage());
        error(ctx, 503, "unavailable", "log store unavailable");
      }
      case StoreLogSource.LogStoreUnavailableException e -> {
        LOG.warn("Loki query failed: {}", e.getMessage());
        error(ctx, 503, "unavailable", "log store unavailable");
      }
      default -> {
        LOG.error("Loki query failed", failure);
        error(ctx, 500, "internal", failure.toString());
      }
    }
  }

  private static void error(RoutingContext ctx, int status, String type, String message) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(new JsonObject()
        .put("status", "error").put("errorType", type).put("error", message).put("message", message).encode());
  }
}
