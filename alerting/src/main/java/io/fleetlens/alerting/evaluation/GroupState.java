package io.fleetlens.alerting.evaluation;

import java.util.List;
import java.util.Map;

import io.fleetlens.alerting.rules.Rule;

/**
 * What a group's evaluations have established, kept in the database so a restart or another
 * replica carries on without re-firing or forgetting: the alerts of each rule and each rule's
 * health, keyed by {@link #ruleKey(Rule)} (a rule's name and labels, so editing one rule of a group
 * keeps the others' alerts).
 */
public record GroupState(long evaluatedAtMs, Map<String, List<ActiveAlert>> alerts, Map<String, RuleHealth> health) {

  public static final GroupState NEW = new GroupState(0, Map.of(), Map.of());

  public GroupState {
    alerts = Map.copyOf(alerts);
    health = Map.copyOf(health);
  }

  public static String ruleKey(Rule rule) {
    return rule.name() + new java.util.TreeMap<>(rule.labels());
  }

  public List<ActiveAlert> alertsOf(Rule rule) {
    return alerts.getOrDefault(ruleKey(rule), List.of());
  }

  public RuleHealth healthOf(Rule rule) {
    return health.getOrDefault(ruleKey(rule), RuleHealth.UNKNOWN);
  }

  /** Every alert of the group, resolved ones included. */
  public List<ActiveAlert> allAlerts() {
    return alerts.values().stream().flatMap(List::stream).toList();
  }
}
