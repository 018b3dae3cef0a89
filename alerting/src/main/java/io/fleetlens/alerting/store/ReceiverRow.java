package io.fleetlens.alerting.store;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

@MappedEntity("alert_receiver")
record ReceiverRow(@Id String name, String kind, String url, @Nullable String secret, String headers, long timeoutMs,
    String owner) {
}
