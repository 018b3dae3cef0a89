package io.fleetlens.query.cost;

import io.fleetlens.core.access.Scope;
import java.time.Clock;

import io.fleetlens.core.logs.InvalidQueryException;
import io.fleetlens.pricing.PricingStore;
import io.fleetlens.query.allocation.AllocationWindow;
import io.fleetlens.query.allocation.Grid;
import io.fleetlens.query.allocation.Pricer;
import io.fleetlens.query.allocation.Recommendations;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.fleetlens.query.access.Scopes;
import io.fleetlens.query.http.BlockingCalls;
import io.fleetlens.query.http.Parameters;

/**
 * {@code GET /api/v1/recommendations?window=7d}: right-sizing for every workload container of the
 * fleet, the largest monthly saving first (see query-api/README.md).
 */
public final class RecommendationsApi {

  private final java.util.function.Function<Scope, Recommendations> recommendations;
  private final PricingStore pricing;
  private final Clock clock;

  public RecommendationsApi(java.util.function.Function<Scope, Recommendations> recommendations, PricingStore pricing,
      Clock clock) {
    this.recommendations = recommendations;
    this.pricing = pricing;
    this.clock = clock;
  }

  public void mount(Router router) {
    router.get("/api/v1/recommendations").handler(ctx -> BlockingCalls.json(ctx, () -> answer(ctx.queryParams(), Scopes.of(ctx))));
  }

  private JsonObject answer(MultiMap p, Scope scope) {
    AllocationWindow window = Parameters.window(p.get("window") == null ? "7d" : p.get("window"), clock);
    long resolution = p.get("resolution") == null ? 300_000 : Parameters.duration("resolution", p.get("resolution"));
    if (resolution < 60_000) {
      throw new InvalidQueryException("resolution", "resolution: at least 1m");
    }
    long steps = (window.endMs() - window.startMs()) / resolution;
    if (steps < 1 || steps > 50_000) {
      throw new InvalidQueryException("resolution", "resolution: the window must hold between 1 and 50000 steps");
    }
    Recommendations.Settings settings = new Recommendations.Settings(fraction(p, "cpuPercentile", 0.9),
        fraction(p, "memoryPercentile", 1.0), number(p, "headroom", 0.15));
    int limit = (int) number(p, "limit", 100);
    JsonArray rows = new JsonArray();
    recommendations.apply(scope).recommend(new Grid(window.endMs() - steps * resolution, resolution, (int) steps), settings,
        new Pricer(pricing.priceSheets().live())).stream().limit(limit).forEach(r -> rows.add(new JsonObject()
            .put("cluster", r.cluster()).put("namespace", r.namespace()).put("controllerKind", r.controllerKind())
            .put("controller", r.controller()).put("container", r.container()).put("pods", r.pods())
            .put("cpuCoreRequest", r.cpuRequest()).put("cpuCoreRecommended", r.cpuRecommended())
            .put("ramByteRequest", r.ramRequest()).put("ramByteRecommended", r.ramRecommended())
            .put("monthlySaving", r.monthlySaving()).put("currency", r.currency())));
    return new JsonObject().put("window", new JsonObject().put("start", java.time.Instant.ofEpochMilli(
        window.endMs() - steps * resolution).toString()).put("end", java.time.Instant.ofEpochMilli(window.endMs())
        .toString())).put("cpuPercentile", settings.cpuPercentile()).put("memoryPercentile", settings.memoryPercentile())
        .put("headroom", settings.headroom()).put("recommendations", rows);
  }

  private static double fraction(MultiMap p, String name, double fallback) {
    double v = number(p, name, fallback);
    if (v < 0 || v > 1) {
      throw new InvalidQueryException(name, name + ": between 0 and 1");
    }
    return v;
  }

  private static double number(MultiMap p, String name, double fallback) {
    String v = p.get(name);
    if (v == null || v.isEmpty()) {
      return fallback;
    }
    try {
      double d = Double.parseDouble(v);
      if (!Double.isFinite(d) || d < 0) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new InvalidQueryException(name, name + ": a non-negative number");
    }
  }
}
