package io.fleetlens.query.golden;

/** A workload in one cluster: a Deployment, StatefulSet, DaemonSet... named as the collector names it. */
record Workload(String cluster, String namespace, String name) {

  Workload {
    for (String part : new String[] {cluster, namespace, name}) {
      if (part == null || part.isEmpty() || part.contains("\"") || part.contains("\\")) {
        throw new IllegalArgumentException("cluster, namespace and workload must be plain names");
      }
    }
  }
}
