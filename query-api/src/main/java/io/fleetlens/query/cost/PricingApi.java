package io.fleetlens.query.cost;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.concurrent.Callable;

import io.fleetlens.core.logs.InvalidQueryException;
import io.fleetlens.pricing.Clusters;
import io.fleetlens.pricing.InvalidPricingException;
import io.fleetlens.pricing.PriceSheet;
import io.fleetlens.pricing.PricingStore;
import io.fleetlens.pricing.RegisteredCluster;
import io.fleetlens.pricing.UnknownEntryException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.fleetlens.query.http.ApiErrors;
import io.fleetlens.query.http.BlockingCalls;
import io.fleetlens.query.http.FleetlensErrors;
import io.fleetlens.query.http.Parameters;

/**
 * Price sheets and the cluster registry over HTTP: list, create, change and retire, as
 * {@code /api/v1/pricing/price-sheets[/<id>]} and {@code /api/v1/pricing/clusters[/<name>]}. The
 * shapes and errors are in query-api/README.md.
 */
public final class PricingApi {

  private final PricingStore store;

  public PricingApi(PricingStore store) {
    this.store = store;
  }

  public void mount(Router router) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(64 * 1024);
    String sheets = "/api/v1/pricing/price-sheets";
    router.get(sheets).handler(ctx -> run(ctx, 200, () -> list(store.priceSheets().live())));
    router.post(sheets).handler(body).handler(ctx -> run(ctx, 201,
        () -> sheet(store.priceSheets().create(sheetOf(ctx)))));
    router.put(sheets + "/:id").handler(body).handler(ctx -> run(ctx, 200,
        () -> sheet(store.priceSheets().update(id(ctx), sheetOf(ctx)))));
    router.delete(sheets + "/:id").handler(ctx -> run(ctx, 200, () -> sheet(store.priceSheets().retire(id(ctx)))));
    String clusters = "/api/v1/pricing/clusters";
    router.get(clusters).handler(ctx -> run(ctx, 200, () -> {
      JsonArray out = new JsonArray();
      store.clusters().live().forEach(c -> out.add(cluster(c)));
      return out;
    }));
    router.post(clusters).handler(body).handler(ctx -> run(ctx, 201,
        () -> cluster(store.clusters().register(clusterOf(ctx, null)))));
    router.put(clusters + "/:name").handler(body).handler(ctx -> run(ctx, 200,
        () -> cluster(store.clusters().update(ctx.pathParam("name"), clusterOf(ctx, ctx.pathParam("name"))))));
    router.delete(clusters + "/:name").handler(ctx -> run(ctx, 200,
        () -> cluster(store.clusters().retire(ctx.pathParam("name")))));
  }

  private static JsonArray list(java.util.List<PriceSheet> sheets) {
    JsonArray out = new JsonArray();
    sheets.forEach(s -> out.add(sheet(s)));
    return out;
  }

  static JsonObject sheet(PriceSheet s) {
    return new JsonObject().put("id", s.id()).put("cluster", s.cluster()).put("nodeType", s.nodeType())
        .put("currency", s.currency()).put("cpuCoreHour", plain(s.cpuCoreHour())).put("ramGibHour", plain(s.ramGibHour()))
        .put("gpuHour", plain(s.gpuHour())).put("pvGibHour", plain(s.pvGibHour())).put("nodeHour", plain(s.nodeHour()))
        .put("effectiveFrom", s.effectiveFrom().toString())
        .put("effectiveTo", s.effectiveTo() == null ? null : s.effectiveTo().toString());
  }

  private static JsonObject cluster(RegisteredCluster c) {
    return new JsonObject().put("name", c.name()).put("environment", c.environment()).put("region", c.region())
        .put("team", c.team()).put("labels", new JsonObject(new java.util.LinkedHashMap<>(Clusters.labels(c))));
  }

  /** Prices as decimal strings, so none loses a digit on its way through a JSON number. */
  private static String plain(BigDecimal v) {
    return v == null ? null : v.stripTrailingZeros().toPlainString();
  }

  private static PriceSheet sheetOf(RoutingContext ctx) {
    JsonObject j = json(ctx);
    return new PriceSheet(null, string(j, "cluster"), j.getString("nodeType", ""), string(j, "currency"),
        decimal(j, "cpuCoreHour"), decimal(j, "ramGibHour"), orZero(decimal(j, "gpuHour")),
        orZero(decimal(j, "pvGibHour")), decimal(j, "nodeHour"), instant(j, "effectiveFrom"), instant(j, "effectiveTo"),
        null);
  }

  private static RegisteredCluster clusterOf(RoutingContext ctx, String name) {
    JsonObject j = json(ctx);
    JsonObject labels = j.getValue("labels") instanceof JsonObject o ? o : new JsonObject();
    if (j.getValue("labels") != null && !(j.getValue("labels") instanceof JsonObject)) {
      throw new InvalidQueryException("labels", "labels: a JSON object of strings");
    }
    return new RegisteredCluster(name != null ? name : string(j, "name"), string(j, "environment"),
        string(j, "region"), string(j, "team"), labels.encode(), null);
  }

  private static JsonObject json(RoutingContext ctx) {
    try {
      JsonObject j = ctx.body().asJsonObject();
      if (j == null) {
        throw new InvalidQueryException("body", "body: a JSON object is required");
      }
      return j;
    } catch (DecodeException | ClassCastException e) {
      throw new InvalidQueryException("body", "body: not a JSON object: " + e.getMessage());
    }
  }

  private static String string(JsonObject j, String field) {
    Object v = j.getValue(field);
    if (v != null && !(v instanceof String)) {
      throw new InvalidQueryException(field, field + ": must be a string");
    }
    return (String) v;
  }

  private static BigDecimal decimal(JsonObject j, String field) {
    Object v = j.getValue(field);
    if (v == null) {
      return null;
    }
    try {
      return new BigDecimal(v.toString());
    } catch (NumberFormatException e) {
      throw new InvalidQueryException(field, field + ": not a number: " + v);
    }
  }

  private static BigDecimal orZero(BigDecimal v) {
    return v == null ? BigDecimal.ZERO : v;
  }

  private static Instant instant(JsonObject j, String field) {
    String v = string(j, field);
    return v == null || v.isEmpty() ? null : Parameters.time(field, v);
  }

  private static long id(RoutingContext ctx) {
    try {
      return Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      throw new InvalidQueryException("id", "id: not a price sheet id: " + ctx.pathParam("id"));
    }
  }

  /** Answers the work's JSON with {@code status}; pricing's refusals are 400 and 404, the rest as everywhere. */
  private static void run(RoutingContext ctx, int status, Callable<Object> work) {
    BlockingCalls.run(ctx, work, (c, body) -> c.response().setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body instanceof JsonArray a ? a.encode() : ((JsonObject) body).encode()), (c, failure) -> {
          switch (failure) {
            case InvalidPricingException e -> ApiErrors.badParameter(c, new InvalidQueryException(e.field(),
                e.getMessage()));
            case UnknownEntryException e -> ApiErrors.send(c, 404,
                new JsonObject().put("error", "not_found").put("message", e.getMessage()));
            default -> FleetlensErrors.answer(c, failure);
          }
        });
  }

}
