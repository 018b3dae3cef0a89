package io.fleetlens.core.logs;

import java.time.Instant;
import java.util.Objects;

/**
 * One log entry of one container, as the collector read it from the node: who wrote it, when, on
 * which stream, and where in which file it started. The origin makes it identifiable: the same
 * bytes read twice (after a restart) give the same record. {@code level} is null until someone
 * (the collector or the aggregator) has recognised one.
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
    LogOrigin origin) {

  public LogRecord {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(container, "container");
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(origin, "origin");
  }

  public LogRecord withLevel(LogLevel newLevel) {
    return new LogRecord(cluster, node, container, timestamp, stream, message, truncated, newLevel, origin);
  }

  /** Key that keeps one container's records in order: same key, same Kafka partition. */
  public String orderingKey() {
    return cluster + "/" + container.namespace() + "/" + container.pod() + "/" + container.name();
  }
}
