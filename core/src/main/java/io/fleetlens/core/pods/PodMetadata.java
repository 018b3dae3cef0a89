package io.fleetlens.core.pods;

import java.util.Map;
import java.util.Objects;

/**
 * What Kubernetes says about the pod a record came from: its labels, annotations and workload.
 * {@link #UNKNOWN} stands for a pod whose metadata the collector never saw (no kubelet configured,
 * or the pod came and went between two looks).
 */
public record PodMetadata(Map<String, String> labels, Map<String, String> annotations, Workload workload) {

  public static final PodMetadata UNKNOWN = new PodMetadata(Map.of(), Map.of(), null);

  public PodMetadata {
    labels = Map.copyOf(Objects.requireNonNull(labels, "labels"));
    annotations = Map.copyOf(Objects.requireNonNull(annotations, "annotations"));
  }

  public boolean known() {
    return workload != null || !labels.isEmpty() || !annotations.isEmpty();
  }
}
