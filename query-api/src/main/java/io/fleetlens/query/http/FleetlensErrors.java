package io.fleetlens.query.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fleetlens.alerting.rules.InvalidRuleException;
import io.fleetlens.core.logs.InvalidQueryException;
import io.fleetlens.core.logs.StoreUnavailableException;
import io.fleetlens.core.metrics.SeriesStoreUnavailableException;
import io.fleetlens.core.metrics.TooManySeriesException;
import io.fleetlens.promql.eval.EvalException;
import io.fleetlens.query.allocation.Allocator;
import io.fleetlens.query.golden.GoldenSignals;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * How the Fleetlens API answers a failed call (query-api/README.md): 400 for a bad parameter or
 * rule, 404 for an unknown workload, 422 for a question that cannot be answered (too many series,
 * mixed currencies, a query that fails), 503 when a store does not answer; anything else is a 500
 * logged with its trace.
 */
public final class FleetlensErrors {

  private static final Logger LOG = LoggerFactory.getLogger(FleetlensErrors.class);

  private FleetlensErrors() {
  }

  public static void answer(RoutingContext ctx, Throwable failure) {
    switch (failure) {
      case InvalidQueryException e -> ApiErrors.badParameter(ctx, e);
      case ApiException e -> error(ctx, e.status(), e.error(), e.getMessage());
      case InvalidRuleException e -> ApiErrors.send(ctx, 400, new JsonObject().put("error", "invalid_rule")
          .put("group", e.group()).put("rule", e.rule()).put("message", e.getMessage()));
      case GoldenSignals.UnknownWorkloadException e -> error(ctx, 404, "unknown_workload", e.getMessage());
      case TooManySeriesException e -> error(ctx, 422, "too_many_series", e.getMessage());
      case Allocator.MixedCurrencyException e -> error(ctx, 422, "mixed_currency", e.getMessage());
      case EvalException e -> error(ctx, 422, "execution", e.getMessage());
      case SeriesStoreUnavailableException e -> {
        LOG.warn("metric read failed: {}", e.getMessage());
        ApiErrors.unavailable(ctx, "metric store unavailable");
      }
      case StoreUnavailableException e -> {
        LOG.warn("log search failed: {}", e.getMessage());
        ApiErrors.unavailable(ctx, "log store unavailable");
      }
      default -> ctx.fail(failure);
    }
  }

  private static void error(RoutingContext ctx, int status, String error, String message) {
    ApiErrors.send(ctx, status, new JsonObject().put("error", error).put("message", message));
  }
}
