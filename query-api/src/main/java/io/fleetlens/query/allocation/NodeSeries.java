package io.fleetlens.query.allocation;

/**
 * A node's capacity at each step of a {@link Grid}: cores and bytes (the step's average), NaN where
 * it was not there; {@code presence} is the share of each step it was there.
 */
public record NodeSeries(String cluster, String node, String instanceType, double[] cpuCores, double[] ramBytes,
    double[] presence) {

  /** A node present all through every step it has a capacity in. */
  public NodeSeries(String cluster, String node, String instanceType, double[] cpuCores, double[] ramBytes) {
    this(cluster, node, instanceType, cpuCores, ramBytes, seen(cpuCores));
  }

  private static double[] seen(double[] cores) {
    double[] presence = new double[cores.length];
    for (int i = 0; i < cores.length; i++) {
      presence[i] = Double.isNaN(cores[i]) ? 0 : 1;
    }
    return presence;
  }

  /** Steps {@code from} to {@code from + n} only. */
  public NodeSeries slice(int from, int n) {
    return new NodeSeries(cluster, node, instanceType, java.util.Arrays.copyOfRange(cpuCores, from, from + n),
        java.util.Arrays.copyOfRange(ramBytes, from, from + n), java.util.Arrays.copyOfRange(presence, from, from + n));
  }
}
