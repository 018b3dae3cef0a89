package io.fleetlens.query.cost;

import io.fleetlens.core.access.Scope;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.fleetlens.core.logs.InvalidQueryException;
import io.fleetlens.query.allocation.Allocation;
import io.fleetlens.query.allocation.AllocationSet;
import io.fleetlens.query.allocation.AllocationWindow;
import io.fleetlens.query.allocation.CostAllocation;
import io.fleetlens.query.allocation.Grid;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.fleetlens.query.access.Scopes;
import io.fleetlens.query.http.BlockingCalls;
import io.fleetlens.query.http.Parameters;

/**
 * {@code GET /api/v1/allocation}, shaped like OpenCost's so its users' tools read it: what each
 * container, namespace, controller, label... of every cluster cost over a window, from the stored
 * requests, usage and node capacity and the price sheets. Parameters and answers are described
 * in query-api/README.md.
 */
public final class AllocationApi {

  private static final long MAX_STEPS = 50_000;

  private final java.util.function.Function<Scope, CostAllocation> allocation;
  private final Clock clock;

  public AllocationApi(java.util.function.Function<Scope, CostAllocation> allocation, Clock clock) {
    this.allocation = allocation;
    this.clock = clock;
  }

  public void mount(Router router) {
    router.get("/api/v1/allocation").handler(ctx -> BlockingCalls.json(ctx, () -> allocation(ctx.queryParams(), Scopes.of(ctx))));
  }

  private JsonObject allocation(MultiMap p, Scope scope) {
    AllocationWindow window = Parameters.window(p.get("window"), clock);
    long resolution = duration(p, "resolution", 60_000);
    if (resolution < 60_000) {
      throw new InvalidQueryException("resolution", "resolution: at least 1m");
    }
    long start = window.startMs() / resolution * resolution;
    long steps = (window.endMs() - start + resolution - 1) / resolution;
    if (steps > MAX_STEPS) {
      throw new InvalidQueryException("resolution", "resolution: the window would take " + steps
          + " steps, more than " + MAX_STEPS + "; ask for a coarser resolution");
    }
    long setStep = p.get("step") == null || p.get("step").isEmpty() ? steps * resolution : duration(p, "step", 0);
    if (setStep < resolution || setStep % resolution != 0) {
      throw new InvalidQueryException("step", "step: a multiple of the resolution (" + resolution / 1000 + "s)");
    }
    List<String> keys = new ArrayList<>();
    String aggregate = p.get("aggregate") == null || p.get("aggregate").isBlank() ? "namespace" : p.get("aggregate");
    for (String key : aggregate.split(",")) {
      if (!AllocationSet.isKey(key.strip())) {
        throw new InvalidQueryException("aggregate", "aggregate: unknown key " + key.strip() + "; one or more of "
            + String.join(", ", AllocationSet.KEYS) + ", label:<name>, annotation:<name>");
      }
      keys.add(key.strip());
    }
    boolean accumulate = bool(p, "accumulate");
    int setSteps = (int) (accumulate ? steps : setStep / resolution);
    CostAllocation.Answer answer = allocation.apply(scope).answer(new CostAllocation.Query(new Grid(start, resolution, (int) steps),
        setSteps, keys, bool(p, "includeIdle"), bool(p, "shareIdle"), bool(p, "idleByNode")));
    JsonArray sets = new JsonArray();
    for (CostAllocation.Set set : answer.sets()) {
      JsonObject rows = new JsonObject();
      set.rows().forEach((name, a) -> rows.put(name, row(name, a, set.grid())));
      sets.add(rows);
    }
    String currency = answer.currency();
    List<String> warnings = answer.warnings();
    JsonObject body = new JsonObject().put("code", 200).put("status", "success").put("data", sets)
        .put("currency", currency);
    if (!warnings.isEmpty()) {
      body.put("warnings", new JsonArray(warnings.subList(0, Math.min(20, warnings.size()))));
    }
    return body;
  }

  static JsonObject row(String name, Allocation a, Grid set) {
    JsonObject properties = new JsonObject();
    JsonObject labels = new JsonObject();
    JsonObject annotations = new JsonObject();
    for (Map.Entry<String, String> e : a.properties().entrySet()) {
      if (e.getKey().startsWith("label:")) {
        labels.put(e.getKey().substring(6), e.getValue());
      } else if (e.getKey().startsWith("annotation:")) {
        annotations.put(e.getKey().substring(11), e.getValue());
      } else {
        properties.put(e.getKey(), e.getValue());
      }
    }
    if (!labels.isEmpty()) {
      properties.put("labels", labels);
    }
    if (!annotations.isEmpty()) {
      properties.put("annotations", annotations);
    }
    return new JsonObject().put("name", name).put("properties", properties)
        .put("window", new JsonObject().put("start", iso(set.startMs())).put("end", iso(set.endMs())))
        .put("start", iso(a.startMs())).put("end", iso(a.endMs())).put("minutes", number(a.minutes()))
        .put("cpuCoreRequestAverage", number(a.cpuCoreRequestAverage()))
        .put("cpuCoreUsageAverage", number(a.cpuCoreUsageAverage())).put("cpuCoreHours", number(a.cpuCoreHours()))
        .put("cpuCost", number(a.cpuCost())).put("ramByteRequestAverage", number(a.ramByteRequestAverage()))
        .put("ramByteUsageAverage", number(a.ramByteUsageAverage())).put("ramByteHours", number(a.ramByteHours()))
        .put("ramCost", number(a.ramCost())).put("gpuHours", number(a.gpuHours())).put("gpuCost", number(a.gpuCost())).put("pvByteHours", 0)
        .put("pvCost", 0).put("totalCost", number(a.totalCost())).put("cpuEfficiency", number(a.cpuEfficiency()))
        .put("ramEfficiency", number(a.ramEfficiency())).put("totalEfficiency", number(a.totalEfficiency()));
  }

  private static Double number(double v) {
    return Double.isFinite(v) ? v : null;
  }

  private static String iso(long ms) {
    return java.time.Instant.ofEpochMilli(ms).toString();
  }

  private static long duration(MultiMap p, String name, long fallback) {
    String v = p.get(name);
    return v == null || v.isEmpty() ? fallback : Parameters.duration(name, v);
  }

  private static boolean bool(MultiMap p, String name) {
    String v = p.get(name);
    if (v == null || v.isEmpty()) {
      return false;
    }
    if (!v.equals("true") && !v.equals("false")) {
      throw new InvalidQueryException(name, name + ": true or false");
    }
    return v.equals("true");
  }
}
