package io.fleetlens.query;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

import io.fleetlens.access.Identity;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Per-caller limits on the API (the token's name, or the client's address when access control is
 * off): requests per second (a token bucket with a burst), queries running at once, and the length
 * of {@code query} and {@code q}. A request over a limit gets 429 (rate, concurrency, with
 * {@code Retry-After}) or 400 (length) with a JSON body naming the limit, and counts in
 * {@code fleetlens_query_limited_total{limit}}. Time-range limits are the endpoints' own.
 */
final class RequestLimits implements Handler<RoutingContext> {

  private final QueryApiConfig.Limits limits;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final Map<String, Semaphore> running = new ConcurrentHashMap<>();
  private final MeterRegistry registry;

  RequestLimits(QueryApiConfig.Limits limits, MeterRegistry registry) {
    this.limits = limits;
    this.registry = registry;
  }

  /** A token bucket: {@code rate} per second, up to {@code burst} at once. */
  private static final class Bucket {
    private final double rate;
    private final double burst;
    private double tokens;
    private long last = System.nanoTime();

    Bucket(double rate, double burst) {
      this.rate = rate;
      this.burst = burst;
      this.tokens = burst;
    }

    synchronized boolean take() {
      long now = System.nanoTime();
      tokens = Math.min(burst, tokens + (now - last) / 1e9 * rate);
      last = now;
      if (tokens >= 1) {
        tokens -= 1;
        return true;
      }
      return false;
    }
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!ctx.request().path().startsWith("/api/")) {
      ctx.next();
      return;
    }
    for (String param : new String[] {"query", "q"}) {
      String value = ctx.request().getParam(param);
      if (value != null && value.length() > limits.maxQueryLength()) {
        refuse(ctx, 400, "query_length", param + " is " + value.length() + " characters long; the limit is "
            + limits.maxQueryLength());
        return;
      }
    }
    String caller = caller(ctx);
    Bucket bucket = buckets.computeIfAbsent(caller, c -> new Bucket(limits.requestsPerSecond(), limits.burst()));
    if (!bucket.take()) {
      ctx.response().putHeader("Retry-After", "1");
      refuse(ctx, 429, "rate", "more than " + limits.requestsPerSecond() + " requests per second from " + caller);
      return;
    }
    Semaphore slots = running.computeIfAbsent(caller, c -> new Semaphore(limits.maxConcurrent()));
    if (!slots.tryAcquire()) {
      ctx.response().putHeader("Retry-After", "1");
      refuse(ctx, 429, "concurrency", "more than " + limits.maxConcurrent() + " requests at once from " + caller);
      return;
    }
    ctx.addEndHandler(done -> slots.release());
    ctx.next();
  }

  private static String caller(RoutingContext ctx) {
    Identity identity = ctx.get(AccessGuard.IDENTITY);
    if (identity != null) {
      return "token " + identity.name();
    }
    return "address " + (ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress());
  }

  private void refuse(RoutingContext ctx, int status, String limit, String message) {
    Counter.builder("fleetlens_query_limited_total").tag("limit", limit).register(registry).increment();
    ApiErrors.send(ctx, status, new JsonObject().put("error", "limited").put("limit", limit).put("message", message));
  }
}
