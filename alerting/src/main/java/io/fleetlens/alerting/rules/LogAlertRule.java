package io.fleetlens.alerting.rules;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * An alert over logs: the lines matching {@code logs} (the filters of {@code /api/v1/logs}: {@code
 * cluster}, {@code namespace}, {@code q}, {@code level}...) counted over the last {@code window};
 * more than {@code threshold} lines make one alert, whose value is the count. Pending, firing,
 * {@code for} and {@code keep_firing_for} work as for PromQL alerts.
 */
public record LogAlertRule(
    String name,
    Map<String, String> logs,
    long threshold,
    long windowMs,
    long forMs,
    long keepFiringForMs,
    Map<String, String> labels,
    Map<String, String> annotations) implements Rule {

  public LogAlertRule {
    logs = Map.copyOf(logs);
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
  }

  /** The filters as a query string, for display: {@code level=error&namespace=payments}. */
  @Override
  public String query() {
    return new TreeMap<>(logs).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining("&"));
  }
}
