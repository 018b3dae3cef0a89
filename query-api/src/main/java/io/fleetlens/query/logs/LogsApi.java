package io.fleetlens.query.logs;

import java.time.Clock;
import java.util.function.Function;

import io.fleetlens.core.access.Scope;

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

/** {@code GET /api/v1/logs}: log search, newest first, paged with a cursor (see query-api/README.md). */
public final class LogsApi {

  private final Function<Scope, LogStore> stores;
  private final Clock clock;

  /** {@code stores} gives the log store for a caller's scope: one that reads only what the scope may see. */
  public LogsApi(Function<Scope, LogStore> stores, Clock clock) {
    this.stores = stores;
    this.clock = clock;
  }

  public void mount(Router router) {
    router.get("/api/v1/logs").handler(this::search);
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
