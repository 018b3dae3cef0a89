package io.fleetlens.alerting.rules;

import java.util.Map;

import io.fleetlens.promql.parse.ParsedQuery;

/**
 * Prometheus' alerting rule: every series {@code expr} returns is an alert, pending until it has
 * been returned for {@code for}, then firing; it stays firing for {@code keep_firing_for} after the
 * expression stops returning it.
 */
public record AlertingRule(
    String name,
    String expr,
    ParsedQuery parsed,
    long forMs,
    long keepFiringForMs,
    Map<String, String> labels,
    Map<String, String> annotations) implements Rule {

  public AlertingRule {
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
  }

  @Override
  public String query() {
    return expr;
  }
}
