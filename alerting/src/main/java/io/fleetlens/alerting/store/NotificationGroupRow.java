package io.fleetlens.alerting.store;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

@MappedEntity("notification_group")
record NotificationGroupRow(
    @Id String id,
    String receiver,
    String groupKey,
    String groupLabels,
    long createdAt,
    long nextFlushAt,
    boolean notified,
    long lastNotifiedAt,
    long sequence,
    String firingSent,
    String resolvedSent) {
}
