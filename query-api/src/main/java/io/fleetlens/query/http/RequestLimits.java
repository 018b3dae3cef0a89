package io.fleetlens.query.http;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

import io.fleetlens.access.Identity;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.fleetlens.query.allocation.AllocationWindow;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.fleetlens.query.QueryApiConfig;
import io.fleetlens.query.access.AccessGuard;

/**
 * Limits on the API, per caller (the token's name, or the client's address when access control is
 * off): requests per second (a token bucket with a burst), queries running at once, the length of
 * {@code query} and {@code q}, the time range asked for ({@code start..end}, or an allocation
 * {@code window}) and the size of the body. A request over a limit gets 429 (rate, concurrency,
 * with {@code Retry-After}), 413 (body) or 400 (length, range) with a JSON body naming the limit,
 * and counts in {@code fleetlens_query_limited_total{limit}}. Parameters sent as a form body
 * (Grafana's POSTs) are checked by the endpoint through {@link #check}. Result sizes are the
 * engines' limits ({@code promql.*}, the log search's {@code limit}), counted here too.
 */
public final class RequestLimits implements Handler<RoutingContext> {

  private final QueryApiConfig.Limits limits;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final Map<String, Semaphore> running = new ConcurrentHashMap<>();
  private final MeterRegistry registry;

  public RequestLimits(QueryApiConfig.Limits limits, MeterRegistry registry) {
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

  /** A request over a limit: its HTTP status, the limit's name and what was asked. */
  public static final class Exceeded extends RuntimeException {
    private final int status;
    private final String limit;

    public Exceeded(int status, String limit, String message) {
      super(message, null, false, false);
      this.status = status;
      this.limit = limit;
    }

    public int status() {
      return status;
    }

    public String limit() {
      return limit;
    }
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!ctx.normalizedPath().startsWith("/api/") && !ctx.normalizedPath().startsWith("/loki/")) {
      ctx.next();
      return;
    }
    String length = ctx.request().getHeader("Content-Length");
    if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > limits.maxBodyBytes()) {
      ctx.request().resume();
      refuse(ctx, new Exceeded(413, "body_size", "the body is " + length + " bytes; the limit is "
          + limits.maxBodyBytes()));
      return;
    }
    try {
      check(ctx.queryParams());
    } catch (Exceeded e) {
      refuse(ctx, e);
      return;
    }
    String caller = caller(ctx);
    Bucket bucket = buckets.computeIfAbsent(caller, c -> new Bucket(limits.requestsPerSecond(), limits.burst()));
    if (!bucket.take()) {
      ctx.response().putHeader("Retry-After", "1");
      refuse(ctx, new Exceeded(429, "rate", "more than " + limits.requestsPerSecond() + " requests per second from "
          + caller));
      return;
    }
    Semaphore slots = running.computeIfAbsent(caller, c -> new Semaphore(limits.maxConcurrent()));
    if (!slots.tryAcquire()) {
      ctx.response().putHeader("Retry-After", "1");
      refuse(ctx, new Exceeded(429, "concurrency", "more than " + limits.maxConcurrent() + " requests at once from "
          + caller));
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

  /**
   * Checks the parameters' lengths and time range: an Exceeded when one is over, for the caller to
   * {@link #count} and answer. Times that do not parse are left to the endpoint to refuse.
   */
  public void check(MultiMap params) {
    for (String param : new String[] {"query", "q"}) {
      String value = params.get(param);
      if (value != null && value.length() > limits.maxQueryLength()) {
        throw new Exceeded(400, "query_length", param + " is " + value.length()
            + " characters long; the limit is " + limits.maxQueryLength());
      }
    }
    long range = range(params);
    if (range > limits.maxTimeRangeMs()) {
      throw new Exceeded(400, "time_range", "the request spans " + Duration.ofMillis(range).toHours()
          + "h; the limit is " + Duration.ofMillis(limits.maxTimeRangeMs()).toHours() + "h");
    }
  }

  /** How long a time range the parameters ask for: end - start, or an allocation window; 0 when neither. */
  private long range(MultiMap params) {
    try {
      String window = params.get("window");
      if (window != null && !window.isEmpty()) {
        AllocationWindow w = Parameters.window(window, Clock.systemUTC());
        return w.endMs() - w.startMs();
      }
      String start = params.get("start");
      String end = params.get("end");
      if (start == null || start.isEmpty()) {
        return 0;
      }
      long to = end == null || end.isEmpty() ? System.currentTimeMillis()
          : Parameters.time("end", end).toEpochMilli();
      return to - Parameters.time("start", start).toEpochMilli();
    } catch (IllegalArgumentException | ArithmeticException | java.time.DateTimeException e) {
      return 0;
    }
  }

  public long maxTimeRangeMs() {
    return limits.maxTimeRangeMs();
  }

  /** Counts a refusal: this handler's, an endpoint's {@link #check}, a body over an endpoint's own size, a PromQL limit. */
  public void count(String limit) {
    Counter.builder("fleetlens_query_limited_total").tag("limit", limit).register(registry).increment();
  }

  private void refuse(RoutingContext ctx, Exceeded e) {
    count(e.limit());
    send(ctx, e);
  }

  /** The JSON answer to a refused request. */
  public static void send(RoutingContext ctx, Exceeded e) {
    ApiErrors.send(ctx, e.status(), new JsonObject().put("error", "limited").put("limit", e.limit())
        .put("message", e.getMessage()));
  }
}
