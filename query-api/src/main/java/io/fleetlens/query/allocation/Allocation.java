package io.fleetlens.query.allocation;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one container, or a group of them, was allotted over a window, with OpenCost's names: the
 * hours and costs of CPU and RAM (each step's allotment is the larger of request and usage), the
 * averages of request and usage over the time it ran, and how much of the request was used.
 */
public final class Allocation {

  private final Map<String, String> properties;
  private long startMs = Long.MAX_VALUE;
  private long endMs = Long.MIN_VALUE;
  double runningHours;
  double cpuCoreHours;
  double cpuRequestCoreHours;
  double cpuUsageCoreHours;
  double cpuCost;
  double ramByteHours;
  double ramRequestByteHours;
  double ramUsageByteHours;
  double ramCost;
  double gpuHours;
  double gpuCost;

  Allocation(Map<String, String> properties) {
    this.properties = new LinkedHashMap<>(properties);
  }

  void ran(long fromMs, long toMs, double hours) {
    startMs = Math.min(startMs, fromMs);
    endMs = Math.max(endMs, toMs);
    runningHours += hours;
  }

  /** Adds another allocation's hours and costs; properties they do not share are dropped. */
  void add(Allocation other) {
    properties.entrySet().removeIf(e -> !e.getValue().equals(other.properties.get(e.getKey())));
    startMs = Math.min(startMs, other.startMs);
    endMs = Math.max(endMs, other.endMs);
    runningHours += other.runningHours;
    cpuCoreHours += other.cpuCoreHours;
    cpuRequestCoreHours += other.cpuRequestCoreHours;
    cpuUsageCoreHours += other.cpuUsageCoreHours;
    cpuCost += other.cpuCost;
    ramByteHours += other.ramByteHours;
    ramRequestByteHours += other.ramRequestByteHours;
    ramUsageByteHours += other.ramUsageByteHours;
    ramCost += other.ramCost;
    gpuHours += other.gpuHours;
    gpuCost += other.gpuCost;
  }

  void addCost(double cpu, double ram) {
    cpuCost += cpu;
    ramCost += ram;
  }

  public Map<String, String> properties() {
    return properties;
  }

  public long startMs() {
    return startMs;
  }

  public long endMs() {
    return endMs;
  }

  /** From its first step to the end of its last, as OpenCost counts an allocation's minutes. */
  public double minutes() {
    return spanHours() * 60;
  }

  private double spanHours() {
    return endMs > startMs ? (endMs - startMs) / 3_600_000.0 : 0;
  }

  public double cpuCoreHours() {
    return cpuCoreHours;
  }

  public double cpuCost() {
    return cpuCost;
  }

  public double ramByteHours() {
    return ramByteHours;
  }

  public double ramCost() {
    return ramCost;
  }

  public double gpuHours() {
    return gpuHours;
  }

  public double gpuCost() {
    return gpuCost;
  }

  public double totalCost() {
    return cpuCost + ramCost + gpuCost;
  }

  /** Averages over the allocation's minutes (a group's: what all its containers asked for together). */
  public double cpuCoreRequestAverage() {
    return cpuRequestCoreHours / spanHours();
  }

  public double cpuCoreUsageAverage() {
    return cpuUsageCoreHours / spanHours();
  }

  public double ramByteRequestAverage() {
    return ramRequestByteHours / spanHours();
  }

  public double ramByteUsageAverage() {
    return ramUsageByteHours / spanHours();
  }

  /** Usage over request; NaN without a request. */
  public double cpuEfficiency() {
    return cpuRequestCoreHours > 0 ? cpuUsageCoreHours / cpuRequestCoreHours : Double.NaN;
  }

  public double ramEfficiency() {
    return ramRequestByteHours > 0 ? ramUsageByteHours / ramRequestByteHours : Double.NaN;
  }

  /** The efficiencies weighted by cost. */
  public double totalEfficiency() {
    double weighted = 0;
    double cost = 0;
    if (!Double.isNaN(cpuEfficiency())) {
      weighted += cpuEfficiency() * cpuCost;
      cost += cpuCost;
    }
    if (!Double.isNaN(ramEfficiency())) {
      weighted += ramEfficiency() * ramCost;
      cost += ramCost;
    }
    return cost > 0 ? weighted / cost : Double.NaN;
  }
}
