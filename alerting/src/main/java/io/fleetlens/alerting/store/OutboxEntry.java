package io.fleetlens.alerting.store;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/** A notification in the outbox: decided, then sent, retried, delivered or failed. */
@MappedEntity("notification_outbox")
public record OutboxEntry(
    @Id @GeneratedValue @Nullable Long id,
    String receiver,
    String groupKey,
    String groupId,
    long sequence,
    String payload,
    String status,
    int attempts,
    long createdAt,
    long nextAttemptAt,
    @Nullable Long finishedAt,
    @Nullable Integer lastStatus,
    @Nullable String lastError) {

  public static final String PENDING = "pending";
  public static final String DELIVERED = "delivered";
  public static final String FAILED = "failed";

  OutboxEntry finished(String newStatus, int newAttempts, long at, Integer status, String error) {
    return new OutboxEntry(id, receiver, groupKey, groupId, sequence, payload, newStatus, newAttempts, createdAt,
        nextAttemptAt, at, status, error);
  }

  OutboxEntry retryAt(int newAttempts, long at, Integer status, String error) {
    return new OutboxEntry(id, receiver, groupKey, groupId, sequence, payload, PENDING, newAttempts, createdAt, at,
        null, status, error);
  }
}
