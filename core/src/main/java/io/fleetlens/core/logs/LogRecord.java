package io.fleetlens.core.logs;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

import io.fleetlens.core.pods.PodMetadata;

/**
 * One log entry of one container, as the collector read it from the node: who wrote it, when, on
 * which stream, and where in which file it started. The origin makes it identifiable: the same
 * bytes read twice (after a restart) give the same record. {@code level} is null until someone
 * (the collector or the aggregator) has recognised one. {@code pod} is what the kubelet said about
 * the pod; {@code fields} are the top-level fields of a JSON message, flattened to strings, found by
 * the aggregator (empty for any other message).
 */
public record LogRecord(
    String cluster,
    String node,
    ContainerRef container,
    Instant timestamp,
    LogStream stream,
    String message,
    boolean truncated,
    LogLevel level,
    LogOrigin origin,
    PodMetadata pod,
    Map<String, String> fields) {

  /** A record as read from a file: nothing known about its pod or its fields yet. */
  public LogRecord(String cluster, String node, ContainerRef container, Instant timestamp, LogStream stream,
      String message, boolean truncated, LogLevel level, LogOrigin origin) {
    this(cluster, node, container, timestamp, stream, message, truncated, level, origin, PodMetadata.UNKNOWN, Map.of());
  }

  public LogRecord {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(container, "container");
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(origin, "origin");
    pod = pod == null ? PodMetadata.UNKNOWN : pod;
    fields = fields == null ? Map.of() : fields;
  }

  public LogRecord withLevel(LogLevel newLevel) {
    return new LogRecord(cluster, node, container, timestamp, stream, message, truncated, newLevel, origin, pod,
        fields);
  }

  public LogRecord withPod(PodMetadata newPod) {
    return new LogRecord(cluster, node, container, timestamp, stream, message, truncated, level, origin, newPod,
        fields);
  }

  public LogRecord withFields(Map<String, String> newFields) {
    return new LogRecord(cluster, node, container, timestamp, stream, message, truncated, level, origin, pod,
        newFields);
  }

  /** Key that keeps one container's records in order: same key, same Kafka partition. */
  public String orderingKey() {
    return cluster + "/" + container.namespace() + "/" + container.pod() + "/" + container.name();
  }
}
