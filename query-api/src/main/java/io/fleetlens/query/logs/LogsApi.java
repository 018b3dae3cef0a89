package io.fleetlens.query.logs;

import java.time.Clock;
import java.util.function.Function;

import io.fleetlens.core.access.Scope;

import io.fleetlens.core.logs.LogContext;
import io.fleetlens.core.logs.LogHistogram;
import io.fleetlens.core.logs.LogHit;
import io.fleetlens.core.logs.LogPage;
import io.fleetlens.core.logs.LogQuery;
import io.fleetlens.core.logs.LogRecord;
import io.fleetlens.core.logs.LogStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.fleetlens.query.access.Scopes;
import io.fleetlens.query.http.BlockingCalls;
import io.fleetlens.query.http.ApiErrors;
import io.fleetlens.query.http.ApiException;
import io.fleetlens.query.http.Parameters;

/**
 * {@code GET /api/v1/logs}: log search, newest first, paged with a cursor; {@code /histogram}: the
 * search's counts per interval, split by a field; {@code /context}: the lines around one hit in its
 * container and stream (see query-api/README.md).
 */
public final class LogsApi {

  private final Function<Scope, LogStore> stores;
  private final Clock clock;

  /** {@code stores} gives the log store for a caller's scope: one that reads only what the scope may see. */
  public LogsApi(Function<Scope, LogStore> stores, Clock clock) {
    this.stores = stores;
    this.clock = clock;
  }

  /** Histograms aim at about this many buckets when no interval is given. */
  private static final int DEFAULT_BUCKETS = 60;
  private static final int MAX_CONTEXT = 500;

  public void mount(Router router) {
    router.get("/api/v1/logs").handler(this::search);
    router.get("/api/v1/logs/histogram").handler(this::histogram);
    router.get("/api/v1/logs/context").handler(this::context);
  }

  /** {@code ?<the search's parameters>&interval=1m&by=level}: {@code by=} (empty) for no split. */
  private void histogram(RoutingContext ctx) {
    LogStore store = stores.apply(Scopes.of(ctx));
    BlockingCalls.json(ctx, () -> {
      var p = ctx.queryParams();
      LogQuery query = LogQueryParameters.parse(p, clock);
      long range = query.end().toEpochMilli() - query.start().toEpochMilli();
      long interval = p.get("interval") == null || p.get("interval").isEmpty()
          ? Math.max(1_000, range / DEFAULT_BUCKETS / 1_000 * 1_000)
          : Parameters.duration("interval", p.get("interval"));
      String by = p.contains("by") ? p.get("by") : "level";
      LogHistogram histogram = store.histogram(query, by, interval);
      JsonArray buckets = new JsonArray();
      for (LogHistogram.Bucket b : histogram.buckets()) {
        buckets.add(new JsonObject().put("start", b.start().toString()).put("total", b.total())
            .put("counts", new JsonObject(new java.util.TreeMap<String, Object>(b.counts()))));
      }
      return new JsonObject().put("by", by.isEmpty() ? null : by).put("intervalMs", interval)
          .put("buckets", buckets);
    });
  }

  /** {@code ?id=<hit id>&before=10&after=10}: 404 when the caller may not see such a hit. */
  private void context(RoutingContext ctx) {
    LogStore store = stores.apply(Scopes.of(ctx));
    BlockingCalls.json(ctx, () -> {
      var p = ctx.queryParams();
      String id = Parameters.required(p, "id");
      int before = Parameters.wholeNumber(p, "before", 10, 0, MAX_CONTEXT, "a whole number from 0 to " + MAX_CONTEXT);
      int after = Parameters.wholeNumber(p, "after", 10, 0, MAX_CONTEXT, "a whole number from 0 to " + MAX_CONTEXT);
      LogContext context = store.context(id, before, after, io.fleetlens.core.access.Scope.ALL)
          .orElseThrow(() -> ApiException.notFound("no log record " + id));
      JsonArray older = new JsonArray();
      context.before().forEach(h -> older.add(hit(h)));
      JsonArray newer = new JsonArray();
      context.after().forEach(h -> newer.add(hit(h)));
      return new JsonObject().put("before", older).put("hit", hit(context.hit())).put("after", newer);
    });
  }

  private void search(RoutingContext ctx) {
    LogStore store = stores.apply(Scopes.of(ctx));
    BlockingCalls.json(ctx, () -> page(store.search(LogQueryParameters.parse(ctx.queryParams(), clock))));
  }

  private static JsonObject page(LogPage page) {
    JsonArray hits = new JsonArray();
    page.hits().forEach(hit -> hits.add(hit(hit)));
    return new JsonObject().put("hits", hits).put("nextCursor", page.nextCursor());
  }

  private static JsonObject hit(LogHit hit) {
    LogRecord r = hit.record();
    JsonObject json = new JsonObject()
        .put("id", hit.id())
        .put("timestamp", r.timestamp().toString())
        .put("cluster", r.cluster())
        .put("node", r.node())
        .put("namespace", r.container().namespace())
        .put("pod", r.container().pod())
        .put("podUid", r.container().podUid())
        .put("container", r.container().name())
        .put("stream", r.stream().wireName())
        .put("level", r.level() == null ? null : r.level().wireName())
        .put("message", r.message())
        .put("truncated", r.truncated());
    if (r.pod().workload() != null) {
      json.put("workload", new JsonObject().put("kind", r.pod().workload().kind()).put("name", r.pod().workload().name()));
    }
    if (!r.pod().labels().isEmpty()) {
      json.put("labels", new JsonObject(new java.util.TreeMap<String, Object>(r.pod().labels())));
    }
    if (!r.pod().annotations().isEmpty()) {
      json.put("annotations", new JsonObject(new java.util.TreeMap<String, Object>(r.pod().annotations())));
    }
    if (!r.fields().isEmpty()) {
      json.put("fields", new JsonObject(new java.util.LinkedHashMap<String, Object>(r.fields())));
    }
    return json;
  }
}
