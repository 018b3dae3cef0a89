package io.fleetlens.pricing;

import java.time.Instant;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/**
 * A cluster of the fleet as its owners describe it: its name (as its collectors and remote-writers
 * label it), environment, region, owning team and free labels (a JSON object of strings).
 */
@MappedEntity("cluster")
public record RegisteredCluster(
    @Id String name,
    String environment,
    String region,
    String team,
    String labels,
    @Nullable Instant retiredAt) {

  public RegisteredCluster retired(@Nullable Instant at) {
    return new RegisteredCluster(name, environment, region, team, labels, at);
  }
}
