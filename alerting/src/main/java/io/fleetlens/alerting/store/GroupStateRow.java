package io.fleetlens.alerting.store;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/** A group's alerts and rule health, as JSON. */
@MappedEntity("rule_group_state")
record GroupStateRow(@Id String groupName, String state, long evaluatedAt) {
}
