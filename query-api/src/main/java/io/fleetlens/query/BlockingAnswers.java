package io.fleetlens.query;

import java.util.concurrent.Callable;
import java.util.function.BiConsumer;

import io.fleetlens.core.logs.InvalidQueryException;
import io.fleetlens.promql.eval.EvalException;
import io.fleetlens.query.allocation.Allocator;
import io.fleetlens.query.golden.GoldenSignals;
import io.fleetlens.storage.elasticsearch.metrics.ElasticsearchSeriesStore;
import io.fleetlens.alerting.rules.InvalidRuleException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Runs a Fleetlens API call off the event loop (its work reads Elasticsearch and the database) and
 * answers it, or answers its failure as the API's JSON errors say (query-api/README.md): 400 for
 * a bad parameter, 404 for an unknown workload, 422 for a question that cannot be answered (too
 * many series, mixed currencies, a query that fails), 503 when Elasticsearch does not answer.
 */
final class BlockingAnswers {

  private BlockingAnswers() {
  }

  static void json(RoutingContext ctx, Callable<JsonObject> work) {
    answer(ctx, work, (c, body) -> c.json(body));
  }

  static <T> void answer(RoutingContext ctx, Callable<T> work, BiConsumer<RoutingContext, T> reply) {
    ctx.vertx().executeBlocking(work, false).onComplete(result -> {
      if (result.succeeded()) {
        reply.accept(ctx, result.result());
        return;
      }
      switch (result.cause()) {
        case InvalidQueryException e -> ApiErrors.badParameter(ctx, e);
        case ApiException e -> error(ctx, e.status(), e.error(), e.getMessage());
        case InvalidRuleException e -> ApiErrors.send(ctx, 400, new JsonObject().put("error", "invalid_rule")
            .put("group", e.group()).put("rule", e.rule()).put("message", e.getMessage()));
        case GoldenSignals.UnknownWorkloadException e -> error(ctx, 404, "unknown_workload", e.getMessage());
        case ElasticsearchSeriesStore.TooManySeriesException e -> error(ctx, 422, "too_many_series", e.getMessage());
        case Allocator.MixedCurrencyException e -> error(ctx, 422, "mixed_currency", e.getMessage());
        case EvalException e -> error(ctx, 422, "execution", e.getMessage());
        case ElasticsearchSeriesStore.ReadFailedException e -> ApiErrors.unavailable(ctx, "metric store unavailable");
        default -> ctx.fail(result.cause());
      }
    });
  }

  private static void error(RoutingContext ctx, int status, String error, String message) {
    ApiErrors.send(ctx, status, new JsonObject().put("error", error).put("message", message));
  }
}
