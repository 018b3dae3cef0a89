package io.fleetlens.core.logs;

import java.util.Objects;

/** A container of a pod, named as Kubernetes names it. */
public record ContainerRef(String namespace, String pod, String podUid, String name) {

  public ContainerRef {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(pod, "pod");
    Objects.requireNonNull(podUid, "podUid");
    Objects.requireNonNull(name, "name");
  }
}
