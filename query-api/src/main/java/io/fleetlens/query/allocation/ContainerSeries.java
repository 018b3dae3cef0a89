package io.fleetlens.query.allocation;

import java.util.Map;

/**
 * What one container asked for and used at each step of a {@link Grid}: CPU in cores, RAM in bytes,
 * GPUs (requested; a GPU is not shared); each the step's average; NaN where there is no value.
 * {@code presence} is the share of each step
 * the container was there (1 for a step it was seen all through, less at the step where it started
 * or ended, 0 where it was not).
 */
public record ContainerSeries(Map<String, String> properties, double[] cpuRequest, double[] cpuUsage,
    double[] ramRequest, double[] ramUsage, double[] gpuRequest, double[] presence) {

  /** A container present all through every step it has a value in. */
  public ContainerSeries(Map<String, String> properties, double[] cpuRequest, double[] cpuUsage, double[] ramRequest,
      double[] ramUsage) {
    this(properties, cpuRequest, cpuUsage, ramRequest, ramUsage, nothing(cpuRequest.length),
        seen(cpuRequest, cpuUsage, ramRequest, ramUsage));
  }

  private static double[] nothing(int steps) {
    double[] none = new double[steps];
    java.util.Arrays.fill(none, Double.NaN);
    return none;
  }

  private static double[] seen(double[]... series) {
    double[] presence = new double[series[0].length];
    for (double[] s : series) {
      for (int i = 0; i < presence.length; i++) {
        if (!Double.isNaN(s[i])) {
          presence[i] = 1;
        }
      }
    }
    return presence;
  }

  /** Property names: where the container ran, and what it belongs to. */
  public static final String CLUSTER = "cluster";
  public static final String NODE = "node";
  public static final String NAMESPACE = "namespace";
  public static final String CONTROLLER_KIND = "controllerKind";
  public static final String CONTROLLER = "controller";
  public static final String POD = "pod";
  public static final String CONTAINER = "container";

  /** Steps {@code from} to {@code from + n} only. */
  public ContainerSeries slice(int from, int n) {
    return new ContainerSeries(properties, java.util.Arrays.copyOfRange(cpuRequest, from, from + n),
        java.util.Arrays.copyOfRange(cpuUsage, from, from + n), java.util.Arrays.copyOfRange(ramRequest, from, from + n),
        java.util.Arrays.copyOfRange(ramUsage, from, from + n), java.util.Arrays.copyOfRange(gpuRequest, from, from + n),
        java.util.Arrays.copyOfRange(presence, from, from + n));
  }

  public String cluster() {
    return properties.get(CLUSTER);
  }

  public String node() {
    return properties.getOrDefault(NODE, "");
  }
}
