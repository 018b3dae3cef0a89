package io.fleetlens.alerting.store;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/** A rule group as its user wrote it, and whose it is (a Scope as JSON). */
@MappedEntity("rule_group")
record RuleGroupRow(@Id String name, String source, long updatedAt, String owner) {
}
