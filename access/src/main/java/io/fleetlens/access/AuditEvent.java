package io.fleetlens.access;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/** One admin action or rule change: when, by whom, what, on what. */
@MappedEntity("audit_event")
public record AuditEvent(@Id @GeneratedValue @Nullable Long id, long at, String actor, String action, String target,
    String detail) {
}
