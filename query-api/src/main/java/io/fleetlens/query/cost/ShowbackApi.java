package io.fleetlens.query.cost;

import io.fleetlens.core.access.Scope;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import io.fleetlens.core.logs.InvalidQueryException;
import io.fleetlens.query.allocation.Allocation;
import io.fleetlens.query.allocation.AllocationSet;
import io.fleetlens.query.allocation.ContainerSeries;
import io.fleetlens.query.allocation.CostAllocation;
import io.fleetlens.query.allocation.Grid;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.fleetlens.query.access.Scopes;
import io.fleetlens.query.http.BlockingCalls;
import io.fleetlens.query.http.Parameters;

/**
 * {@code GET /api/v1/showback?month=2026-11&by=label:team}: what each team (or namespace, or any
 * allocation key) cost in each cluster over a calendar month (so far), idle shared by cost, with
 * totals per cluster and overall; JSON, or CSV when asked with {@code Accept: text/csv}.
 */
public final class ShowbackApi {

  private final java.util.function.Function<Scope, CostAllocation> allocation;
  private final Clock clock;

  public ShowbackApi(java.util.function.Function<Scope, CostAllocation> allocation, Clock clock) {
    this.allocation = allocation;
    this.clock = clock;
  }

  public void mount(Router router) {
    router.get("/api/v1/showback").handler(ctx -> BlockingCalls.answer(ctx, () -> rows(ctx), ShowbackApi::reply));
  }

  /** The month's rows: by value and cluster, with costs. */
  private record Showback(String month, String by, String currency, List<JsonObject> rows, JsonObject totals) {
  }

  private Showback rows(RoutingContext ctx) {
    var p = ctx.queryParams();
    YearMonth month;
    try {
      month = p.get("month") == null || p.get("month").isEmpty() ? YearMonth.now(clock.withZone(ZoneOffset.UTC))
          : YearMonth.parse(p.get("month"));
    } catch (DateTimeParseException e) {
      throw new InvalidQueryException("month", "month: a year and month such as 2026-11");
    }
    String by = p.get("by") == null || p.get("by").isEmpty() ? "namespace" : p.get("by").strip();
    if (!AllocationSet.isKey(by) || by.contains(",")) {
      throw new InvalidQueryException("by", "by: one allocation key, such as namespace or label:team");
    }
    long resolution = p.get("resolution") == null ? 3_600_000 : Parameters.duration("resolution", p.get("resolution"));
    if (resolution < 60_000) {
      throw new InvalidQueryException("resolution", "resolution: at least 1m");
    }
    long start = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    long end = Math.min(clock.millis(), month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant()
        .toEpochMilli());
    if (end <= start) {
      throw new InvalidQueryException("month", "month: " + month + " has not begun");
    }
    int steps = (int) ((end - start + resolution - 1) / resolution);
    CostAllocation.Answer answer = allocation.apply(Scopes.of(ctx)).answer(new CostAllocation.Query(new Grid(start, resolution, steps), steps,
        List.of(by), false, true, false));
    List<JsonObject> rows = new java.util.ArrayList<>();
    Map<String, double[]> perCluster = new TreeMap<>();
    for (Map.Entry<String, Allocation> e : answer.sets().get(0).rows().entrySet()) {
      Allocation a = e.getValue();
      String cluster = a.properties().get(ContainerSeries.CLUSTER);
      String value = e.getKey().substring(cluster.length() + 1);
      rows.add(new JsonObject().put(by, value).put("cluster", cluster).put("cpuCost", a.cpuCost())
          .put("ramCost", a.ramCost()).put("gpuCost", a.gpuCost()).put("pvCost", 0.0).put("totalCost", a.totalCost()));
      double[] t = perCluster.computeIfAbsent(cluster, k -> new double[3]);
      t[0] += a.cpuCost();
      t[1] += a.ramCost();
      t[2] += a.totalCost();
    }
    rows.sort(java.util.Comparator.comparing((JsonObject r) -> r.getString(by)).thenComparing(r -> r.getString("cluster")));
    JsonObject clusters = new JsonObject();
    double all = 0;
    for (Map.Entry<String, double[]> e : perCluster.entrySet()) {
      clusters.put(e.getKey(), e.getValue()[2]);
      all += e.getValue()[2];
    }
    return new Showback(month.toString(), by, answer.currency(), rows,
        new JsonObject().put("byCluster", clusters).put("totalCost", all));
  }

  private static void reply(RoutingContext ctx, Showback s) {
    String accept = ctx.request().getHeader("Accept");
    if (accept != null && accept.toLowerCase(Locale.ROOT).contains("text/csv")) {
      StringBuilder csv = new StringBuilder(csvField(s.by())).append(",cluster,cpuCost,ramCost,gpuCost,pvCost,totalCost,"
          + "currency\r\n");
      for (JsonObject r : s.rows()) {
        csv.append(csvField(r.getString(s.by()))).append(',').append(csvField(r.getString("cluster")));
        for (String cost : List.of("cpuCost", "ramCost", "gpuCost", "pvCost", "totalCost")) {
          csv.append(',').append(String.format(Locale.ROOT, "%.2f", r.getDouble(cost)));
        }
        csv.append(',').append(s.currency() == null ? "" : s.currency()).append("\r\n");
      }
      csv.append("__total__,,,,,,").append(String.format(Locale.ROOT, "%.2f", s.totals().getDouble("totalCost")))
          .append(',').append(s.currency() == null ? "" : s.currency()).append("\r\n");
      ctx.response().putHeader("Content-Type", "text/csv; charset=utf-8")
          .putHeader("Content-Disposition", "attachment; filename=\"showback-" + s.month() + ".csv\"")
          .end(csv.toString());
      return;
    }
    ctx.json(new JsonObject().put("month", s.month()).put("by", s.by()).put("currency", s.currency())
        .put("rows", new JsonArray(s.rows())).put("totals", s.totals()));
  }

  /** RFC 4180: quoted when it holds a comma, a quote or a line break. */
  private static String csvField(String v) {
    if (v == null) {
      return "";
    }
    return v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")
        ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
  }
}
