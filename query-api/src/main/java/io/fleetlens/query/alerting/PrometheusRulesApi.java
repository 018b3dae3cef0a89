package io.fleetlens.query.alerting;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fleetlens.alerting.Alerting;
import io.fleetlens.alerting.evaluation.ActiveAlert;
import io.fleetlens.alerting.evaluation.AlertState;
import io.fleetlens.alerting.evaluation.GroupState;
import io.fleetlens.alerting.evaluation.RuleHealth;
import io.fleetlens.alerting.rules.AlertingRule;
import io.fleetlens.alerting.rules.GoFormat;
import io.fleetlens.alerting.rules.LogAlertRule;
import io.fleetlens.alerting.rules.RecordingRule;
import io.fleetlens.alerting.rules.Rule;
import io.fleetlens.alerting.rules.RuleGroup;
import io.fleetlens.alerting.store.AlertingStore;
import io.fleetlens.core.access.Scope;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.fleetlens.query.access.Scopes;
import io.fleetlens.query.http.BlockingCalls;

/**
 * Prometheus' {@code /api/v1/rules} and {@code /api/v1/alerts}, in its shapes, so Grafana lists
 * Fleetlens' rules and alerts as it lists a Prometheus'. Read from the database, so every replica
 * answers the same. Each caller sees the groups its tenants own, and their alerts.
 */
public final class PrometheusRulesApi {

  private final AlertingStore store;
  private final Alerting alerting;

  public PrometheusRulesApi(AlertingStore store, Alerting alerting) {
    this.store = store;
    this.alerting = alerting;
  }

  public void mount(Router router) {
    router.get("/api/v1/rules").handler(ctx -> BlockingCalls.json(ctx, () -> success(rules(ctx))));
    router.get("/api/v1/alerts").handler(ctx -> BlockingCalls.json(ctx, () -> success(alerts(Scopes.of(ctx)))));
  }

  private static JsonObject success(JsonObject data) {
    return new JsonObject().put("status", "success").put("data", data);
  }

  private JsonObject rules(RoutingContext ctx) {
    String type = ctx.request().getParam("type");
    if (type != null && !type.equals("alert") && !type.equals("record")) {
      throw new io.fleetlens.core.logs.InvalidQueryException("type", "must be alert or record");
    }
    List<String> groupNames = ctx.queryParam("rule_group[]");
    List<String> ruleNames = ctx.queryParam("rule_name[]");
    Map<String, GroupState> states = store.states();
    JsonArray groups = new JsonArray();
    Scope scope = Scopes.of(ctx);
    for (AlertingStore.StoredGroup stored : store.groups()) {
      RuleGroup group = alerting.group(stored);
      if (group == null || !scope.covers(stored.owner()) || !groupNames.isEmpty() && !groupNames.contains(group.name())) {
        continue;
      }
      GroupState state = states.getOrDefault(group.name(), GroupState.NEW);
      JsonArray rules = new JsonArray();
      double total = 0;
      for (Rule rule : group.rules()) {
        boolean isAlert = !(rule instanceof RecordingRule);
        if (type != null && type.equals("alert") != isAlert || !ruleNames.isEmpty() && !ruleNames.contains(rule.name())) {
          continue;
        }
        RuleHealth health = state.healthOf(rule);
        total += health.evaluationSeconds();
        rules.add(rule(rule, state, health));
      }
      if (rules.isEmpty() && (type != null || !ruleNames.isEmpty())) {
        continue;
      }
      groups.add(new JsonObject().put("name", group.name()).put("file", "fleetlens").put("interval",
          group.intervalMs() / 1000.0).put("limit", group.limit()).put("rules", rules).put("evaluationTime", total)
          .put("lastEvaluation", time(state.evaluatedAtMs())));
    }
    return new JsonObject().put("groups", groups);
  }

  private static JsonObject rule(Rule rule, GroupState state, RuleHealth health) {
    JsonObject out = new JsonObject().put("name", rule.name()).put("query", rule.query())
        .put("labels", new JsonObject(new LinkedHashMap<>(rule.labels())))
        .put("health", health.health()).put("evaluationTime", health.evaluationSeconds())
        .put("lastEvaluation", time(health.lastEvaluationMs()));
    if (!health.lastError().isEmpty()) {
      out.put("lastError", health.lastError());
    }
    if (rule instanceof RecordingRule) {
      return out.put("type", "recording");
    }
    long forMs = rule instanceof AlertingRule a ? a.forMs() : ((LogAlertRule) rule).forMs();
    long keep = rule instanceof AlertingRule a ? a.keepFiringForMs() : ((LogAlertRule) rule).keepFiringForMs();
    Map<String, String> annotations = rule instanceof AlertingRule a ? a.annotations()
        : ((LogAlertRule) rule).annotations();
    List<ActiveAlert> alerts = state.alertsOf(rule).stream().filter(a -> a.state() != AlertState.INACTIVE).toList();
    String ruleState = alerts.stream().anyMatch(a -> a.state() == AlertState.FIRING) ? "firing"
        : alerts.isEmpty() ? "inactive" : "pending";
    JsonArray list = new JsonArray();
    alerts.forEach(a -> list.add(alert(a)));
    return out.put("state", ruleState).put("duration", forMs / 1000.0).put("keepFiringFor", keep / 1000.0)
        .put("annotations", new JsonObject(new LinkedHashMap<>(annotations))).put("alerts", list).put("type", "alerting");
  }

  private JsonObject alerts(Scope scope) {
    JsonArray out = new JsonArray();
    Map<String, GroupState> states = store.states();
    store.groups().stream().filter(g -> scope.covers(g.owner()) && states.containsKey(g.name()))
        .forEach(g -> states.get(g.name()).allAlerts().stream().filter(a -> a.state() != AlertState.INACTIVE)
            .forEach(a -> out.add(alert(a))));
    return new JsonObject().put("alerts", out);
  }

  private static JsonObject alert(ActiveAlert a) {
    JsonObject out = new JsonObject().put("labels", new JsonObject(new LinkedHashMap<>(a.labels())))
        .put("annotations", new JsonObject(new LinkedHashMap<>(a.annotations()))).put("state", a.state().wire())
        .put("activeAt", time(a.activeAtMs())).put("value", GoFormat.exponent(a.value()));
    if (a.keepFiringSinceMs() != 0) {
      out.put("keepFiringSince", time(a.keepFiringSinceMs()));
    }
    return out;
  }

  private static String time(long ms) {
    return ms == 0 ? "0001-01-01T00:00:00Z" : Instant.ofEpochMilli(ms).toString();
  }
}
