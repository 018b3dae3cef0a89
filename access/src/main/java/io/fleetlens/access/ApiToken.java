package io.fleetlens.access;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/**
 * A stored token: its name, the hash of its secret, roles and tenants as JSON, the subject of the
 * client certificate that may stand for it, and when it was revoked.
 */
@MappedEntity("api_token")
public record ApiToken(
    @Id @GeneratedValue @Nullable Long id,
    String name,
    String secretHash,
    String roles,
    String tenants,
    long createdAt,
    @Nullable Long revokedAt,
    @Nullable String certificateSubject) {

  ApiToken revoked(long at) {
    return new ApiToken(id, name, secretHash, roles, tenants, createdAt, at, certificateSubject);
  }
}
