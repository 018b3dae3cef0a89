package io.fleetlens.core.logs;

import java.util.Map;

/**
 * Exact-match filters of a log search; a null field does not filter. {@code labels} and
 * {@code fields} match pod labels and JSON message fields by key; {@code workload} matches the name
 * of the pod's Deployment, StatefulSet, DaemonSet, CronJob, Job or bare pod.
 */
public record LogFilters(
    String cluster,
    String namespace,
    String pod,
    String container,
    LogStream stream,
    LogLevel level,
    String workload,
    Map<String, String> labels,
    Map<String, String> fields) {

  public LogFilters {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    fields = fields == null ? Map.of() : Map.copyOf(fields);
  }

  public LogFilters(String cluster, String namespace, String pod, String container, LogStream stream,
      LogLevel level) {
    this(cluster, namespace, pod, container, stream, level, null, Map.of(), Map.of());
  }

  public static LogFilters none() {
    return new LogFilters(null, null, null, null, null, null);
  }
}
