package io.fleetlens.query.alerting;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.fleetlens.alerting.notify.Dispatcher;
import io.fleetlens.alerting.notify.Receiver;
import io.fleetlens.alerting.notify.Route;
import io.fleetlens.alerting.store.AlertingStore;
import io.fleetlens.alerting.store.OutboxEntry;
import io.fleetlens.core.access.Scope;
import io.fleetlens.promql.parse.ParseException;
import io.fleetlens.promql.parse.Parser;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.fleetlens.query.access.Scopes;
import io.fleetlens.query.http.ApiException;
import io.fleetlens.query.http.BlockingCalls;
import io.fleetlens.query.http.Parameters;

/**
 * Where alerts go, over HTTP: receivers ({@code /api/v1/alerting/receivers[/<name>]}), routes
 * ({@code /api/v1/alerting/routes[/<id>]}) and the notifications decided for them, with each one's
 * delivery status ({@code /api/v1/alerting/notifications}). A receiver's secret is stored but never
 * shown again. Receivers and routes belong to the tenants of the token that made them: another
 * team neither sees nor changes them, sees no notification for them, and cannot route to them.
 */
public final class AlertRoutingApi {

  private static final Set<String> RESTRICTED_HEADERS = Set.of("host", "content-length", "content-type", "connection",
      "expect", "upgrade", "idempotency-key", "x-fleetlens-signature");

  private final AlertingStore store;

  public AlertRoutingApi(AlertingStore store) {
    this.store = store;
  }

  public void mount(Router router) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(64 * 1024);
    String receivers = "/api/v1/alerting/receivers";
    router.get(receivers).handler(ctx -> BlockingCalls.json(ctx, () -> {
      JsonArray out = new JsonArray();
      Scope scope = Scopes.of(ctx);
      store.receivers().stream().filter(r -> scope.covers(r.owner())).forEach(r -> out.add(receiver(r)));
      return new JsonObject().put("receivers", out);
    }));
    router.get(receivers + "/:name").handler(ctx -> BlockingCalls.json(ctx, () -> receiver(visibleReceiver(ctx))));
    router.put(receivers + "/:name").handler(body).handler(ctx -> BlockingCalls.answer(ctx, () -> {
      String name = ctx.pathParam("name");
      Scope scope = Scopes.of(ctx);
      Optional<Receiver> existing = store.receiver(name);
      if (existing.isPresent() && !scope.covers(existing.get().owner())) {
        throw new ApiException(409, "conflict", "the receiver name " + name + " is taken; choose another");
      }
      Receiver r = receiverOf(name, json(ctx), existing.map(Receiver::owner).orElse(scope));
      return new Object[] {store.saveReceiver(r), receiver(r)};
    }, (c, r) -> c.response().setStatusCode((Boolean) r[0] ? 200 : 201).putHeader("Content-Type", "application/json")
        .end(((JsonObject) r[1]).encode())));
    router.delete(receivers + "/:name").handler(ctx -> BlockingCalls.json(ctx, () -> {
      String name = visibleReceiver(ctx).name();
      if (store.routes().stream().anyMatch(r -> r.receiver().equals(name))) {
        throw new ApiException(409, "conflict", "receiver " + name + " is used by a route; delete the route first");
      }
      if (!store.deleteReceiver(name)) {
        throw ApiException.notFound("no receiver " + name);
      }
      return new JsonObject().put("deleted", name);
    }));
    String routes = "/api/v1/alerting/routes";
    router.get(routes).handler(ctx -> BlockingCalls.json(ctx, () -> {
      JsonArray out = new JsonArray();
      Scope scope = Scopes.of(ctx);
      store.routes().stream().filter(r -> scope.covers(r.owner())).forEach(r -> out.add(route(r)));
      return new JsonObject().put("routes", out);
    }));
    router.post(routes).handler(body).handler(ctx -> BlockingCalls.answer(ctx,
        () -> route(store.saveRoute(routeOf(null, json(ctx), Scopes.of(ctx), Scopes.of(ctx)))),
        (c, json) -> c.response().setStatusCode(201).putHeader("Content-Type", "application/json").end(json.encode())));
    router.put(routes + "/:id").handler(body).handler(ctx -> BlockingCalls.json(ctx, () -> {
      Route existing = visibleRoute(ctx);
      return route(store.saveRoute(routeOf(existing.id(), json(ctx), Scopes.of(ctx), existing.owner())));
    }));
    router.delete(routes + "/:id").handler(ctx -> BlockingCalls.json(ctx, () -> {
      Route existing = visibleRoute(ctx);
      store.deleteRoute(existing.id());
      return new JsonObject().put("deleted", existing.id());
    }));
    router.get("/api/v1/alerting/notifications").handler(ctx -> BlockingCalls.json(ctx, () -> {
      String status = ctx.request().getParam("status");
      int limit = Parameters.wholeNumber(ctx.queryParams(), "limit", 100, 1, 1000, "limit: a whole number from 1 to 1000");
      Scope scope = Scopes.of(ctx);
      Map<String, Scope> owners = new java.util.HashMap<>();
      store.receivers().forEach(r -> owners.put(r.name(), r.owner()));
      JsonArray out = new JsonArray();
      boolean filtered = status != null || !scope.isAll();
      store.recentNotifications(filtered ? 10_000 : limit).stream()
          .filter(e -> status == null || e.status().equals(status))
          .filter(e -> scope.covers(owners.getOrDefault(e.receiver(), Scope.ALL))).limit(limit)
          .forEach(e -> out.add(notification(e)));
      return new JsonObject().put("notifications", out);
    }));
  }

  /** The receiver named in the path, if the caller may see it; 404 alike for one that is not there and one that is not theirs. */
  private Receiver visibleReceiver(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    return store.receiver(name).filter(r -> Scopes.of(ctx).covers(r.owner()))
        .orElseThrow(() -> ApiException.notFound("no receiver " + name));
  }

  private Route visibleRoute(RoutingContext ctx) {
    return store.route(id(ctx)).filter(r -> Scopes.of(ctx).covers(r.owner()))
        .orElseThrow(() -> ApiException.notFound("no route " + ctx.pathParam("id")));
  }

  /**
   * A receiver as the API shows it: its secret, its header values and its URL's path and query
   * (where services such as Slack put their secret) are never shown again.
   */
  private static JsonObject receiver(Receiver r) {
    JsonObject headers = new JsonObject();
    r.headers().keySet().forEach(h -> headers.put(h, "<set>"));
    return new JsonObject().put("name", r.name()).put("kind", r.kind().wire()).put("url", maskedUrl(r.url()))
        .put("secretSet", r.secret() != null && !r.secret().isEmpty())
        .put("headers", headers).put("timeout", seconds(r.timeoutMs()));
  }

  private static String maskedUrl(String url) {
    URI uri = URI.create(url);
    boolean hidden = uri.getRawPath() != null && uri.getRawPath().length() > 1 || uri.getRawQuery() != null;
    return uri.getScheme() + "://" + uri.getRawAuthority().replaceAll("^.*@", "") + (hidden ? "/<set>" : "");
  }

  private static Receiver receiverOf(String name, JsonObject j, Scope owner) {
    String kind = j.getString("kind", "webhook");
    Receiver.Kind k;
    try {
      k = Receiver.Kind.valueOf(kind.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("kind: must be webhook or alertmanager, not " + kind);
    }
    String url = j.getString("url");
    try {
      URI uri = URI.create(url == null ? "" : url);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
        throw new IllegalArgumentException("not an http or https URL");
      }
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("url: must be an absolute http or https URL: " + url);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    JsonObject h = j.getJsonObject("headers", new JsonObject());
    for (String header : h.fieldNames()) {
      if (RESTRICTED_HEADERS.contains(header.toLowerCase(Locale.ROOT)) || !header.matches("[A-Za-z0-9-]+")) {
        throw ApiException.badRequest("headers: " + header + " cannot be set");
      }
      headers.put(header, String.valueOf(h.getValue(header)));
    }
    long timeout = duration(j, "timeout", 10_000);
    return new Receiver(name, k, url, j.getString("secret"), headers, timeout, owner);
  }

  private static JsonObject route(Route r) {
    return new JsonObject().put("id", r.id()).put("position", r.position()).put("receiver", r.receiver())
        .put("matchers", new JsonArray(new ArrayList<>(r.matchers())))
        .put("groupBy", new JsonArray(new ArrayList<>(r.groupBy())))
        .put("groupWait", seconds(r.groupWaitMs())).put("groupInterval", seconds(r.groupIntervalMs()))
        .put("repeatInterval", seconds(r.repeatIntervalMs())).put("sendResolved", r.sendResolved())
        .put("continue", r.continueMatching());
  }

  /** A route from its JSON; {@code caller} must see its receiver, {@code owner} is whose it is. */
  private Route routeOf(Long id, JsonObject j, Scope caller, Scope owner) {
    String receiver = j.getString("receiver");
    if (receiver == null || store.receiver(receiver).filter(r -> caller.covers(r.owner())).isEmpty()) {
      throw ApiException.badRequest("receiver: no receiver " + receiver + "; create it first");
    }
    List<String> matchers = strings(j, "matchers");
    try {
      Dispatcher.parseMatchers(matchers);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("matchers: " + e.getMessage());
    }
    Route r = new Route(id, j.getInteger("position", 0), receiver, matchers, strings(j, "groupBy"),
        duration(j, "groupWait", 30_000), duration(j, "groupInterval", 300_000),
        duration(j, "repeatInterval", 4 * 3_600_000), j.getBoolean("sendResolved", true),
        j.getBoolean("continue", false), owner);
    if (r.groupIntervalMs() <= 0 || r.repeatIntervalMs() <= 0) {
      throw ApiException.badRequest("groupInterval and repeatInterval must be greater than 0");
    }
    return r;
  }

  private static JsonObject notification(OutboxEntry e) {
    JsonObject out = new JsonObject().put("id", e.id()).put("receiver", e.receiver()).put("groupKey", e.groupKey())
        .put("sequence", e.sequence()).put("status", e.status()).put("attempts", e.attempts())
        .put("createdAt", time(e.createdAt()))
        .put("nextAttemptAt", e.status().equals(OutboxEntry.PENDING) ? time(e.nextAttemptAt()) : null)
        .put("finishedAt", e.finishedAt() == null ? null : time(e.finishedAt()))
        .put("lastStatus", e.lastStatus()).put("lastError", e.lastError());
    try {
      out.put("payload", io.vertx.core.json.Json.decodeValue(e.payload()));
    } catch (DecodeException bad) {
      out.put("payload", e.payload());
    }
    return out;
  }

  private static List<String> strings(JsonObject j, String field) {
    Object v = j.getValue(field);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof JsonArray a) || a.stream().anyMatch(x -> !(x instanceof String))) {
      throw ApiException.badRequest(field + ": must be a list of strings");
    }
    return a.stream().map(String.class::cast).toList();
  }

  private static long duration(JsonObject j, String field, long fallback) {
    Object v = j.getValue(field);
    if (v == null) {
      return fallback;
    }
    try {
      return Parser.parseDuration(v.toString());
    } catch (ParseException e) {
      throw ApiException.badRequest(field + ": not a valid duration string: \"" + v + "\"");
    }
  }

  private static String seconds(long ms) {
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }

  private static String time(long ms) {
    return Instant.ofEpochMilli(ms).toString();
  }

  private static long id(RoutingContext ctx) {
    try {
      return Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      throw ApiException.notFound("no route " + ctx.pathParam("id"));
    }
  }

  private static JsonObject json(RoutingContext ctx) {
    try {
      JsonObject j = ctx.body().asJsonObject();
      if (j == null) {
        throw ApiException.badRequest("body: a JSON object is required");
      }
      return j;
    } catch (DecodeException | ClassCastException e) {
      throw ApiException.badRequest("body: not a JSON object: " + e.getMessage());
    }
  }
}
