package io.fleetlens.pricing;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Registering, changing and retiring clusters, each checked first: a DNS-label name, an
 * environment, region and team, labels as a JSON object of strings. Retired clusters keep their
 * row (their costs stay explainable) and may be registered again.
 */
public final class Clusters {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final RegisteredClusterRepository repository;
  private final Clock clock;

  public Clusters(RegisteredClusterRepository repository, Clock clock) {
    this.repository = repository;
    this.clock = clock;
  }

  public synchronized RegisteredCluster register(RegisteredCluster cluster) {
    check(cluster);
    RegisteredCluster live = cluster.retired(null);
    if (repository.existsById(cluster.name())) {
      if (find(cluster.name()).isPresent()) {
        throw new InvalidPricingException("name", "name: cluster " + cluster.name() + " is registered already");
      }
      return repository.update(live);
    }
    return repository.save(live);
  }

  public synchronized RegisteredCluster update(String name, RegisteredCluster cluster) {
    live(name);
    RegisteredCluster changed = new RegisteredCluster(name, cluster.environment(), cluster.region(), cluster.team(),
        cluster.labels(), null);
    check(changed);
    return repository.update(changed);
  }

  public synchronized RegisteredCluster retire(String name) {
    return repository.update(live(name).retired(clock.instant()));
  }

  public List<RegisteredCluster> live() {
    return repository.findByRetiredAtIsNullOrderByName();
  }

  public Optional<RegisteredCluster> find(String name) {
    return repository.findById(name).filter(c -> c.retiredAt() == null);
  }

  /** A cluster's labels, decoded. */
  public static Map<String, String> labels(RegisteredCluster cluster) {
    try {
      return JSON.readValue(cluster.labels(), new TypeReference<Map<String, String>>() { });
    } catch (Exception e) {
      throw new InvalidPricingException("labels", "labels: a JSON object of strings");
    }
  }

  private RegisteredCluster live(String name) {
    return find(name).orElseThrow(() -> new UnknownEntryException("no registered cluster " + name));
  }

  private static void check(RegisteredCluster c) {
    require(c.name() != null && c.name().matches("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?"), "name",
        "name: lower-case letters, digits, '-' and '.', as Kubernetes names are");
    require(c.environment() != null && !c.environment().isBlank(), "environment", "environment: required");
    require(c.region() != null && !c.region().isBlank(), "region", "region: required");
    require(c.team() != null && !c.team().isBlank(), "team", "team: required");
    require(c.labels() != null, "labels", "labels: a JSON object of strings ({} for none)");
    labels(c);
  }

  private static void require(boolean condition, String field, String message) {
    if (!condition) {
      throw new InvalidPricingException(field, message);
    }
  }
}
