package io.fleetlens.alerting.rules;

import java.util.Map;

import io.fleetlens.promql.parse.ParsedQuery;

/** Prometheus' recording rule: {@code expr}'s result, written back as the series {@code record}. */
public record RecordingRule(String name, String expr, ParsedQuery parsed, Map<String, String> labels)
    implements Rule {

  public RecordingRule {
    labels = Map.copyOf(labels);
  }

  @Override
  public String query() {
    return expr;
  }
}
