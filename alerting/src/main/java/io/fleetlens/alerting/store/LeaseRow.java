package io.fleetlens.alerting.store;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

@MappedEntity("alerting_lease")
record LeaseRow(@Id String name, String holder, long expiresAt) {
}
