package io.fleetlens.query.allocation;

/** A node's capacity at each step of a {@link Grid}: cores and bytes, NaN where it was not there. */
public record NodeSeries(String cluster, String node, String instanceType, double[] cpuCores, double[] ramBytes) {
}
