package io.fleetlens.core.logs;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.fleetlens.core.metrics.Labels;

/**
 * A line's stream labels, as LogQL selectors and the Loki API name them: {@code cluster},
 * {@code node}, {@code namespace}, {@code pod}, {@code container}, {@code stream}, {@code level},
 * {@code workload} (the name of the pod's Deployment, StatefulSet...) and the pod's labels, each
 * key made a valid label name ({@code app.kubernetes.io/name} is {@code app_kubernetes_io_name}).
 */
public final class StreamLabels {

  /** The labels every line may have, whatever its pod. */
  public static final Set<String> FIXED = Set.of("cluster", "node", "namespace", "pod", "container", "stream",
      "level", "workload");

  private StreamLabels() {
  }

  public static Labels of(LogRecord r) {
    Map<String, String> labels = new TreeMap<>();
    r.pod().labels().forEach((k, v) -> labels.put(name(k), v));
    put(labels, "cluster", r.cluster());
    put(labels, "node", r.node());
    put(labels, "namespace", r.container().namespace());
    put(labels, "pod", r.container().pod());
    put(labels, "container", r.container().name());
    put(labels, "stream", r.stream().wireName());
    put(labels, "level", r.level() == null ? null : r.level().wireName());
    put(labels, "workload", r.pod().workload() == null ? null : r.pod().workload().name());
    return Labels.of(labels);
  }

  private static void put(Map<String, String> labels, String name, String value) {
    if (value != null && !value.isEmpty()) {
      labels.put(name, value);
    }
  }

  /**
   * A pod label's key, or a stored field's, as a label name: characters other than ASCII letters,
   * digits and {@code _} become {@code _}, and a name that would open with a digit gets a {@code _}
   * before it ({@code app.kubernetes.io/name} is {@code app_kubernetes_io_name}).
   */
  public static String name(String key) {
    StringBuilder out = new StringBuilder(key.length() + 1);
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      out.append(c < 128 && (Character.isLetterOrDigit(c) || c == '_') ? c : '_');
    }
    if (out.length() > 0 && Character.isDigit(out.charAt(0))) {
      out.insert(0, '_');
    }
    return out.toString();
  }
}
