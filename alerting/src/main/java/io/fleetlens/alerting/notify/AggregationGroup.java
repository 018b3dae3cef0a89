package io.fleetlens.alerting.notify;

import java.util.Map;
import java.util.Set;

/**
 * The alerts one route sends to one receiver with the same group labels, and what the receiver was
 * last told about them: the fingerprints of the firing and resolved alerts of the last notification
 * ({@code notified} false until there was one), when, and its {@code sequence} number, which grows by
 * one with each notification so a receiver can discard a repeat. Kept in the database.
 */
public record AggregationGroup(
    String id,
    String receiver,
    String groupKey,
    Map<String, String> groupLabels,
    long createdAtMs,
    long nextFlushAtMs,
    boolean notified,
    long lastNotifiedAtMs,
    long sequence,
    Set<String> firingSent,
    Set<String> resolvedSent) {

  public AggregationGroup {
    groupLabels = Map.copyOf(groupLabels);
    firingSent = Set.copyOf(firingSent);
    resolvedSent = Set.copyOf(resolvedSent);
  }

  AggregationGroup flushed(long nextFlush) {
    return new AggregationGroup(id, receiver, groupKey, groupLabels, createdAtMs, nextFlush, notified,
        lastNotifiedAtMs, sequence, firingSent, resolvedSent);
  }

  AggregationGroup notifiedAt(long at, long nextFlush, Set<String> firing, Set<String> resolved, boolean sent) {
    return new AggregationGroup(id, receiver, groupKey, groupLabels, createdAtMs, nextFlush, true, at,
        sent ? sequence + 1 : sequence, firing, resolved);
  }
}
