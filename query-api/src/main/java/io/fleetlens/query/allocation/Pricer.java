package io.fleetlens.query.allocation;

import java.util.List;
import java.util.Optional;

import io.fleetlens.pricing.PriceSheet;

/**
 * The hourly CPU and RAM prices of a node at an instant, from the live price sheets: the sheet of
 * its cluster and instance type in effect then, else its cluster's default sheet. A sheet with
 * only the node's price is split into CPU and RAM parts in the proportion of a core to a GiB in
 * OpenCost's default prices (0.031611 and 0.004237 per hour), over the node's capacity.
 */
public final class Pricer {

  static final double REFERENCE_CORE_HOUR = 0.031611;
  static final double REFERENCE_GIB_HOUR = 0.004237;
  static final double GIB = 1024.0 * 1024 * 1024;

  private final List<PriceSheet> sheets;

  public Pricer(List<PriceSheet> sheets) {
    this.sheets = sheets;
  }

  /** Prices per core-hour, GiB-hour and GPU-hour, in {@code currency}. */
  public record Rates(double coreHour, double gibHour, double gpuHour, String currency) {
  }

  public Optional<Rates> at(String cluster, String instanceType, long timeMs, double cores, double bytes) {
    return sheet(cluster, instanceType, timeMs).or(() -> sheet(cluster, "", timeMs)).flatMap(s -> {
      if (s.cpuCoreHour() != null && s.ramGibHour() != null) {
        return Optional.of(new Rates(s.cpuCoreHour().doubleValue(), s.ramGibHour().doubleValue(),
            s.gpuHour().doubleValue(), s.currency()));
      }
      double gib = bytes / GIB;
      if (!(cores > 0) || !(gib > 0)) {
        return Optional.empty(); // a node price cannot be split without the node's size
      }
      double cpuShare = cores * REFERENCE_CORE_HOUR / (cores * REFERENCE_CORE_HOUR + gib * REFERENCE_GIB_HOUR);
      double node = s.nodeHour().doubleValue();
      return Optional.of(new Rates(node * cpuShare / cores, node * (1 - cpuShare) / gib, s.gpuHour().doubleValue(),
          s.currency()));
    });
  }

  private Optional<PriceSheet> sheet(String cluster, String nodeType, long timeMs) {
    return sheets.stream().filter(s -> s.retiredAt() == null && s.cluster().equals(cluster)
        && s.nodeType().equals(nodeType) && s.effectiveFrom().toEpochMilli() <= timeMs
        && (s.effectiveTo() == null || timeMs < s.effectiveTo().toEpochMilli())).findFirst();
  }
}
