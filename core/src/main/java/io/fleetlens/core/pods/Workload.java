package io.fleetlens.core.pods;

import java.util.Objects;

/**
 * The controller a pod belongs to, as a person would name it: a Deployment rather than its
 * ReplicaSet, a CronJob rather than the Job it started. A pod nobody owns is its own workload,
 * of kind {@code Pod}.
 */
public record Workload(String kind, String name) {

  public Workload {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
  }
}
