package io.fleetlens.query.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Times every request into {@code fleetlens_query_http_requests_seconds}, tagged with the matched
 * route (not the raw path, to keep the series few), the method and the status code.
 */
public final class RequestMetrics implements Handler<RoutingContext> {

  private final MeterRegistry registry;

  public RequestMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.addEndHandler(done -> Timer.builder("fleetlens.query.http.requests")
        .tag("route", ctx.currentRoute() == null || ctx.currentRoute().getPath() == null
            ? "unmatched" : ctx.currentRoute().getPath())
        .tag("method", ctx.request().method().name())
        .tag("status", Integer.toString(ctx.response().getStatusCode()))
        .register(registry)
        .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS));
    ctx.next();
  }
}
