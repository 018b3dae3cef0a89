package io.fleetlens.core.metrics;

import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One value of one time series at one instant, as Prometheus has it: the metric name, the labels
 * (sorted by name), the time in milliseconds since the epoch, and the value (NaN and infinities
 * included).
 */
public record Sample(String name, SortedMap<String, String> labels, long timestampMillis, double value)
    implements MetricRecord {

  public Sample {
    Objects.requireNonNull(name, "name");
    labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
  }

  /** The series this sample belongs to, as {@code name{a="1",b="2"}}. */
  public String seriesKey() {
    StringBuilder key = new StringBuilder(name).append('{');
    labels.forEach((k, v) -> key.append(k).append("=\"").append(v).append("\","));
    return key.append('}').toString();
  }
}
