package io.fleetlens.query.allocation;

/** A node's capacity at each step of a {@link Grid}: cores and bytes, NaN where it was not there. */
public record NodeSeries(String cluster, String node, String instanceType, double[] cpuCores, double[] ramBytes) {

  /** Steps {@code from} to {@code from + n} only. */
  public NodeSeries slice(int from, int n) {
    return new NodeSeries(cluster, node, instanceType, java.util.Arrays.copyOfRange(cpuCores, from, from + n),
        java.util.Arrays.copyOfRange(ramBytes, from, from + n));
  }
}
