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
    return seriesKey(name, labels);
  }

  static String seriesKey(String name, SortedMap<String, String> labels) {
    StringBuilder key = new StringBuilder(name.length() + 24 * labels.size() + 2).append(name).append('{');
    for (java.util.Map.Entry<String, String> label : labels.entrySet()) {
      key.append(label.getKey()).append("=\"").append(label.getValue()).append("\",");
    }
    return key.append('}').toString();
  }
}
