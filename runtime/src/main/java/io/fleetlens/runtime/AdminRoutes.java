package io.fleetlens.runtime;

import java.util.Map;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The operational endpoints every app serves: {@code /healthz} (the process is alive),
 * {@code /readyz} (its dependencies answer; 503 with the failing checks otherwise) and
 * {@code /metrics} (Prometheus text format).
 */
public final class AdminRoutes {

  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private AdminRoutes() {
  }

  public static void mount(Router router, Readiness readiness, PrometheusMeterRegistry registry) {
    router.get("/healthz").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "alive")));
    router.get("/readyz").blockingHandler(ctx -> ready(ctx, readiness), false);
    router.get("/metrics").handler(ctx -> ctx.response()
        .putHeader("Content-Type", PROMETHEUS_TEXT)
        .end(registry.scrape()));
  }

  private static void ready(RoutingContext ctx, Readiness readiness) {
    Map<String, Boolean> results = readiness.evaluate();
    boolean ready = results.values().stream().allMatch(Boolean::booleanValue);
    JsonObject checks = new JsonObject();
    results.forEach((name, ok) -> checks.put(name, ok ? "up" : "down"));
    json(ctx, ready ? 200 : 503, new JsonObject().put("status", ready ? "ready" : "not ready").put("checks", checks));
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
