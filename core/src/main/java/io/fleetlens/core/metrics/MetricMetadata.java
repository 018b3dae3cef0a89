package io.fleetlens.core.metrics;

import java.util.Objects;

/**
 * What a metric is, as its exporter describes it: its type ({@code counter}, {@code gauge},
 * {@code histogram}, {@code gaugehistogram}, {@code summary}, {@code info}, {@code stateset} or
 * {@code unknown}), its help text and its unit (empty when none was given). Prometheus serves this
 * at {@code /api/v1/metadata}.
 */
public record MetricMetadata(String metric, String type, String help, String unit) implements MetricRecord {

  public static final java.util.Set<String> TYPES = java.util.Set.of("counter", "gauge", "histogram",
      "gaugehistogram", "summary", "info", "stateset", "unknown");

  public MetricMetadata {
    Objects.requireNonNull(metric, "metric");
    type = type == null || !TYPES.contains(type) ? "unknown" : type;
    help = help == null ? "" : help;
    unit = unit == null ? "" : unit;
  }

  /** Whether this tells nothing: no type, help or unit ({@code /federate} types everything {@code untyped}). */
  public boolean saysNothing() {
    return type.equals("unknown") && help.isEmpty() && unit.isEmpty();
  }
}
