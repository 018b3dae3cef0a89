package io.fleetlens.alerting.store;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

@MappedEntity("alert_route")
record RouteRow(
    @Id @GeneratedValue @Nullable Long id,
    int position,
    String receiver,
    String matchers,
    String groupBy,
    long groupWaitMs,
    long groupIntervalMs,
    long repeatIntervalMs,
    boolean sendResolved,
    boolean continueMatching,
    String owner) {
}
