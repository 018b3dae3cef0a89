package io.fleetlens.query;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fleetlens.core.logs.InvalidQueryException;
import io.fleetlens.core.logs.LogHit;
import io.fleetlens.core.logs.LogPage;
import io.fleetlens.core.logs.LogQuery;
import io.fleetlens.core.logs.LogRecord;
import io.fleetlens.core.logs.LogStore;
import io.fleetlens.core.logs.StoreUnavailableException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /api/v1/logs}: log search, newest first, paged with a cursor (see query-api/README.md). */
final class LogsApi {

  private static final Logger LOG = LoggerFactory.getLogger(LogsApi.class);

  private final LogStore store;
  private final Clock clock;

  LogsApi(LogStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  void mount(Router router) {
    router.get("/api/v1/logs").handler(this::search);
  }

  private void search(RoutingContext ctx) {
    LogQuery query;
    try {
      query = LogQueryParameters.parse(ctx.queryParams(), clock).within(Scopes.of(ctx));
    } catch (InvalidQueryException e) {
      ApiErrors.badParameter(ctx, e);
      return;
    }
    ctx.vertx().executeBlocking(() -> store.search(query), false).onComplete(result -> {
      if (result.succeeded()) {
        ctx.json(page(result.result()));
      } else if (result.cause() instanceof InvalidQueryException e) {
        ApiErrors.badParameter(ctx, e);
      } else if (result.cause() instanceof StoreUnavailableException e) {
        LOG.warn("log search failed: {}", e.getMessage());
        ApiErrors.unavailable(ctx, "log store unavailable");
      } else {
        ctx.fail(result.cause());
      }
    });
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
