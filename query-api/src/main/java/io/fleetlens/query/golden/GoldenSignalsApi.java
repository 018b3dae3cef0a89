package io.fleetlens.query.golden;

import io.fleetlens.core.access.Scope;
import java.time.Clock;
import java.util.List;
import java.util.Locale;

import io.fleetlens.core.logs.InvalidQueryException;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.fleetlens.query.access.Scopes;
import io.fleetlens.query.http.BlockingCalls;
import io.fleetlens.query.http.Parameters;

/**
 * {@code GET /api/v1/golden-signals} (one workload) and {@code GET /api/v1/golden-signals/fleet}
 * (every workload, ranked); the answers are described in query-api/README.md.
 */
public final class GoldenSignalsApi {

  private static final long DEFAULT_WINDOW_MS = 3_600_000;
  private static final int DEFAULT_FLEET_LIMIT = 50;

  private final java.util.function.Function<Scope, GoldenSignals> signals;
  private final java.util.function.Function<Scope, FleetSignals> fleet;
  private final Clock clock;

  /** The signals are computed per request, over what the caller's scope may see. */
  public GoldenSignalsApi(java.util.function.Function<Scope, GoldenSignals> signals,
      java.util.function.Function<Scope, FleetSignals> fleet, Clock clock) {
    this.signals = signals;
    this.fleet = fleet;
    this.clock = clock;
  }

  public void mount(Router router) {
    router.get("/api/v1/golden-signals").handler(ctx -> BlockingCalls.json(ctx, () -> workload(ctx.queryParams(), Scopes.of(ctx))));
    router.get("/api/v1/golden-signals/fleet").handler(ctx -> BlockingCalls.json(ctx,
        () -> fleet(ctx.queryParams(), Scopes.of(ctx))));
  }

  private JsonObject workload(MultiMap p, Scope scope) {
    String cluster = name(p, "cluster");
    String namespace = name(p, "namespace");
    String workload = name(p, "workload");
    long window = window(p);
    long time = time(p);
    GoldenSignals.Report r = signals.apply(scope).of(cluster, namespace, workload, window, time);
    JsonObject latency = new JsonObject();
    r.latency().forEach((k, s) -> latency.put(k, signal(s)));
    JsonObject saturation = new JsonObject();
    r.saturation().forEach((k, s) -> saturation.put(k, signal(s)));
    return new JsonObject().put("cluster", cluster).put("namespace", namespace).put("workload", workload)
        .put("window", window / 1000 + "s").put("step", r.stepMs() / 1000 + "s").put("time", r.timeMs() / 1000.0)
        .put("latency", latency.put("source", r.requestSource()).put("unit", "seconds"))
        .put("traffic", signal(r.traffic()).put("source", r.requestSource()).put("unit", "requests/s"))
        .put("errors", signal(r.errors()).put("source", r.requestSource()).put("unit", "ratio of failed requests"))
        .put("saturation", saturation.put("source", GoldenSignals.SATURATION_SOURCE).put("unit", "ratio"));
  }

  private JsonObject fleet(MultiMap p, Scope scope) {
    long window = window(p);
    long time = time(p);
    String sortName = p.get("sort") == null || p.get("sort").isEmpty() ? "errors" : p.get("sort");
    FleetSignals.Sort sort;
    try {
      sort = FleetSignals.Sort.valueOf(sortName.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidQueryException("sort", "sort: one of errors, latency, saturation, traffic");
    }
    int limit = Parameters.wholeNumber(p, "limit", DEFAULT_FLEET_LIMIT, 1, 10_000, "limit: must be between 1 and 10000");
    JsonArray rows = new JsonArray();
    for (FleetSignals.Row row : fleet.apply(scope).rank(window, time, sort, limit)) {
      rows.add(new JsonObject().put("cluster", row.cluster()).put("namespace", row.namespace())
          .put("workload", row.workload()).put("source", row.requestSource()).put("traffic", finite(row.traffic()))
          .put("errors", finite(row.errors())).put("latency_p99", finite(row.p99()))
          .put("saturation", finite(row.saturation())));
    }
    return new JsonObject().put("window", window / 1000 + "s").put("time", time / 1000.0)
        .put("sort", sort.name().toLowerCase(Locale.ROOT)).put("workloads", rows);
  }

  private static JsonObject signal(GoldenSignals.Signal s) {
    if (s == null) {
      return new JsonObject().put("value", (Object) null).put("series", new JsonArray()).putNull("promql");
    }
    JsonArray series = new JsonArray();
    for (double[] point : s.series()) {
      if (Double.isFinite(point[1])) {
        series.add(new JsonArray(List.of(point[0] / 1000.0, point[1])));
      }
    }
    return new JsonObject().put("value", finite(s.value())).put("series", series).put("promql", s.promql());
  }

  private static Double finite(Double v) {
    return v == null || !Double.isFinite(v) ? null : v;
  }

  private static String name(MultiMap p, String parameter) {
    String v = p.get(parameter);
    if (v == null || v.isEmpty()) {
      throw new InvalidQueryException(parameter, parameter + ": missing");
    }
    if (!v.matches("[A-Za-z0-9][A-Za-z0-9._:-]{0,252}")) {
      throw new InvalidQueryException(parameter, parameter + ": not a Kubernetes name: " + v);
    }
    return v;
  }

  private static long window(MultiMap p) {
    String v = p.get("window");
    if (v == null || v.isEmpty()) {
      return DEFAULT_WINDOW_MS;
    }
    long ms = Parameters.duration("window", v);
    if (ms < GoldenSignals.MIN_WINDOW_MS || ms > GoldenSignals.MAX_WINDOW_MS) {
      throw new InvalidQueryException("window", "window: between 1m and 7d, got " + v);
    }
    return ms;
  }

  private long time(MultiMap p) {
    String v = p.get("time");
    return v == null || v.isEmpty() ? clock.millis() : Parameters.millis("time", v);
  }
}
