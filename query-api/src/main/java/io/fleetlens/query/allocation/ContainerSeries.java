package io.fleetlens.query.allocation;

import java.util.Map;

/**
 * What one container asked for and used at each step of a {@link Grid}: CPU in cores, RAM in bytes;
 * NaN where there is no value (the container was not running, or nothing was measured).
 */
public record ContainerSeries(Map<String, String> properties, double[] cpuRequest, double[] cpuUsage,
    double[] ramRequest, double[] ramUsage) {

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
        java.util.Arrays.copyOfRange(ramUsage, from, from + n));
  }

  public String cluster() {
    return properties.get(CLUSTER);
  }

  public String node() {
    return properties.getOrDefault(NODE, "");
  }
}
