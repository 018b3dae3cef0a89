package io.fleetlens.query.allocation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns what containers asked for and used, and what their nodes had, into costs, step by step:
 * each step a container is allotted the larger of its request and its usage (GPUs: its request),
 * priced at its node's
 * rates at that step (so a price change inside the window counts from the step it takes effect).
 * A node's idle cost is its capacity less what its containers were allotted, per resource and
 * step, never below zero; it is reported per node or summed per cluster.
 */
public final class Allocator {

  public static final String IDLE = "__idle__";

  private Allocator() {
  }

  /** The containers' allocations, the idle ones, the one currency of all prices, and what could not be priced. */
  public record Result(List<Allocation> containers, List<Allocation> idle, String currency, List<String> warnings) {
  }

  /** Prices in more than one currency in one answer. */
  public static final class MixedCurrencyException extends RuntimeException {
    public MixedCurrencyException(String message) {
      super(message);
    }
  }

  public static Result allocate(Grid grid, List<ContainerSeries> containers, List<NodeSeries> nodes, Pricer pricer,
      boolean idleByNode) {
    Map<String, NodeSeries> byNode = new HashMap<>();
    nodes.forEach(n -> byNode.put(n.cluster() + "/" + n.node(), n));
    Map<String, double[]> allottedCores = new HashMap<>();
    Map<String, double[]> allottedBytes = new HashMap<>();
    Set<String> currencies = new LinkedHashSet<>();
    Set<String> warnings = new LinkedHashSet<>();
    List<Allocation> out = new ArrayList<>();
    for (ContainerSeries c : containers) {
      String nodeKey = c.cluster() + "/" + c.node();
      NodeSeries node = byNode.get(nodeKey);
      Allocation a = new Allocation(c.properties());
      for (int i = 0; i < grid.steps(); i++) {
        double cpuRequest = c.cpuRequest()[i];
        double cpuUsage = c.cpuUsage()[i];
        double ramRequest = c.ramRequest()[i];
        double ramUsage = c.ramUsage()[i];
        double present = c.presence()[i];
        if (!(present > 0)
            || Double.isNaN(cpuRequest) && Double.isNaN(cpuUsage) && Double.isNaN(ramRequest) && Double.isNaN(ramUsage)) {
          continue;
        }
        double h = grid.stepHours() * Math.min(1, present);
        a.ran(grid.at(i), grid.at(i + 1), h);
        double cores = Math.max(orZero(cpuRequest), orZero(cpuUsage));
        double bytes = Math.max(orZero(ramRequest), orZero(ramUsage));
        a.cpuCoreHours += cores * h;
        a.cpuRequestCoreHours += orZero(cpuRequest) * h;
        a.cpuUsageCoreHours += orZero(cpuUsage) * h;
        a.ramByteHours += bytes * h;
        a.ramRequestByteHours += orZero(ramRequest) * h;
        a.ramUsageByteHours += orZero(ramUsage) * h;
        if (node != null) {
          allottedCores.computeIfAbsent(nodeKey, k -> new double[grid.steps()])[i] += cores * h;
          allottedBytes.computeIfAbsent(nodeKey, k -> new double[grid.steps()])[i] += bytes * h;
        }
        double gpus = orZero(c.gpuRequest()[i]);
        a.gpuHours += gpus * h;
        Optional<Pricer.Rates> rates = rates(pricer, c.cluster(), node, i, grid, warnings);
        if (rates.isPresent()) {
          currencies.add(rates.get().currency());
          a.addCost(cores * h * rates.get().coreHour(), bytes / Pricer.GIB * h * rates.get().gibHour());
          a.gpuCost += gpus * h * rates.get().gpuHour();
        }
      }
      if (a.runningHours > 0) {
        out.add(a);
      }
    }
    List<Allocation> idle = idle(grid, nodes, pricer, allottedCores, allottedBytes, idleByNode, currencies, warnings);
    if (currencies.size() > 1) {
      throw new MixedCurrencyException("the prices of this answer are in " + currencies
          + "; ask for clusters priced in one currency");
    }
    return new Result(out, idle, currencies.isEmpty() ? null : currencies.iterator().next(), new ArrayList<>(warnings));
  }

  /** {@code allottedCores} and {@code allottedBytes}: core-hours and byte-hours per node and step. */
  private static List<Allocation> idle(Grid grid, List<NodeSeries> nodes, Pricer pricer,
      Map<String, double[]> allottedCores, Map<String, double[]> allottedBytes, boolean byNode, Set<String> currencies,
      Set<String> warnings) {
    Map<String, Allocation> rows = new LinkedHashMap<>();
    Map<String, boolean[]> counted = new HashMap<>();
    for (NodeSeries n : nodes) {
      String nodeKey = n.cluster() + "/" + n.node();
      String rowKey = byNode ? nodeKey : n.cluster();
      Map<String, String> properties = new LinkedHashMap<>();
      properties.put(ContainerSeries.CLUSTER, n.cluster());
      if (byNode) {
        properties.put(ContainerSeries.NODE, n.node());
      }
      Allocation row = rows.computeIfAbsent(rowKey, k -> new Allocation(properties));
      boolean[] seen = counted.computeIfAbsent(rowKey, k -> new boolean[grid.steps()]);
      double[] cores = allottedCores.getOrDefault(nodeKey, new double[grid.steps()]);
      double[] bytes = allottedBytes.getOrDefault(nodeKey, new double[grid.steps()]);
      for (int i = 0; i < grid.steps(); i++) {
        double present = n.presence()[i];
        if (!(present > 0) || Double.isNaN(n.cpuCores()[i]) || Double.isNaN(n.ramBytes()[i])) {
          continue;
        }
        double h = grid.stepHours() * Math.min(1, present);
        if (!seen[i]) {
          row.ran(grid.at(i), grid.at(i + 1), h);
          seen[i] = true;
        }
        double idleCoreHours = Math.max(0, n.cpuCores()[i] * h - cores[i]);
        double idleByteHours = Math.max(0, n.ramBytes()[i] * h - bytes[i]);
        row.cpuCoreHours += idleCoreHours;
        row.ramByteHours += idleByteHours;
        Optional<Pricer.Rates> rates = rates(pricer, n.cluster(), n, i, grid, warnings);
        if (rates.isPresent()) {
          currencies.add(rates.get().currency());
          row.addCost(idleCoreHours * rates.get().coreHour(), idleByteHours / Pricer.GIB * rates.get().gibHour());
        }
      }
    }
    return rows.values().stream().filter(r -> r.runningHours > 0).toList();
  }

  private static Optional<Pricer.Rates> rates(Pricer pricer, String cluster, NodeSeries node, int i, Grid grid,
      Set<String> warnings) {
    String type = node == null ? "" : node.instanceType();
    Optional<Pricer.Rates> rates = pricer.at(cluster, type, grid.at(i), node == null ? Double.NaN : node.cpuCores()[i],
        node == null ? Double.NaN : node.ramBytes()[i]);
    if (rates.isEmpty()) {
      warnings.add("no price sheet for cluster " + cluster + (type.isEmpty() ? "" : " (node type " + type + ")")
          + " at " + java.time.Instant.ofEpochMilli(grid.at(i)) + ": its cost there is left out");
    }
    return rates;
  }

  private static double orZero(double v) {
    return Double.isNaN(v) ? 0 : v;
  }
}
