package io.fleetlens.logql.eval;

import java.util.Map;

import io.fleetlens.core.metrics.Labels;

/**
 * One stored log line as LogQL sees it: when (Unix nanoseconds), the line, its stream's labels
 * (cluster, namespace, pod, container, node, stream, level, workload, pod labels) and its
 * stored fields (the fields of a JSON message, flattened: labels where a query names them, see
 * {@link Pipeline}).
 */
public record LogEntry(long timestampNanos, String line, Labels stream, Map<String, String> metadata) {

  public LogEntry {
    metadata = Map.copyOf(metadata);
  }

  /** A stored field's key as queries name it: {@code req.path} is {@code req_path}. */
  public static String labelName(String fieldKey) {
    return Fields.sanitize(fieldKey);
  }
}
