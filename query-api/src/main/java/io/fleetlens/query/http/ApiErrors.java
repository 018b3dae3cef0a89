package io.fleetlens.query.http;

import io.fleetlens.core.logs.InvalidQueryException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The JSON error bodies of the HTTP API: {@code {"error": kind, "message": text, ...}}. */
public final class ApiErrors {

  private ApiErrors() {
  }

  public static void badParameter(RoutingContext ctx, InvalidQueryException e) {
    send(ctx, 400, new JsonObject().put("error", "bad_parameter").put("parameter", e.parameter())
        .put("message", e.getMessage()));
  }

  public static void unavailable(RoutingContext ctx, String message) {
    send(ctx, 503, new JsonObject().put("error", "unavailable").put("message", message));
  }

  public static void notFound(RoutingContext ctx) {
    send(ctx, 404, new JsonObject().put("error", "not_found").put("message", "no such endpoint: " + ctx.request().path()));
  }

  public static void internal(RoutingContext ctx) {
    send(ctx, 500, new JsonObject().put("error", "internal").put("message", "the server failed; see its log"));
  }

  public static void send(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
