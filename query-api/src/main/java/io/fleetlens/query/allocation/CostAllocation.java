package io.fleetlens.query.allocation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.fleetlens.core.access.Scope;
import io.fleetlens.pricing.PriceSheet;

/**
 * One allocation question answered: the stored usage of the window read once, then each set (a
 * step of the window, or all of it) allotted, priced and grouped.
 */
public final class CostAllocation {

  private final StoredUsage usage;
  private final Supplier<List<PriceSheet>> sheets;
  private final Scope visible;

  /** Answers over the whole fleet's {@code usage}, giving the rows {@code visible} may see. */
  public CostAllocation(StoredUsage usage, Supplier<List<PriceSheet>> sheets, Scope visible) {
    this.usage = usage;
    this.sheets = sheets;
    this.visible = visible;
  }

  /** Steps of {@code resolutionMs} over the grid, one set every {@code setSteps} steps, grouped by {@code keys}. */
  public record Query(Grid grid, int setSteps, List<String> keys, boolean includeIdle, boolean shareIdle,
      boolean idleByNode) {
  }

  /** One set: its part of the window and its rows by name. */
  public record Set(Grid grid, Map<String, Allocation> rows) {
  }

  public record Answer(List<Set> sets, String currency, List<String> warnings) {
  }

  /** Whether a warning ("no price sheet for cluster X ...") is about one of the caller's clusters. */
  private boolean aboutOneOf(String warning, java.util.Set<String> clusters) {
    if (visible.isAll()) {
      return true;
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("cluster (\\S+)").matcher(warning);
    return m.find() && clusters.contains(m.group(1));
  }

  public Answer answer(Query q) {
    Grid grid = q.grid();
    StoredUsage.Usage read = usage.read(grid, "");
    Pricer pricer = new Pricer(sheets.get());
    List<Set> sets = new ArrayList<>();
    String currency = null;
    List<String> warnings = new ArrayList<>();
    for (int from = 0; from < grid.steps(); from += q.setSteps()) {
      int first = from;
      int n = Math.min(q.setSteps(), grid.steps() - from);
      Grid part = new Grid(grid.at(from), grid.resolutionMs(), n);
      Allocator.Result result = Allocator.allocate(part,
          read.containers().stream().map(c -> c.slice(first, n)).toList(),
          read.nodes().stream().map(node -> node.slice(first, n)).toList(), pricer, q.idleByNode());
      if (currency == null) {
        currency = result.currency();
      } else if (result.currency() != null && !result.currency().equals(currency)) {
        throw new Allocator.MixedCurrencyException("the prices of this answer are in " + currency + " and "
            + result.currency());
      }
      Map<String, Allocation> rows = AllocationSet.aggregate(result, q.keys(), q.includeIdle(), q.shareIdle(), visible);
      java.util.Set<String> clusters = new java.util.HashSet<>();
      rows.values().forEach(r -> clusters.add(r.properties().get(ContainerSeries.CLUSTER)));
      result.warnings().stream().filter(w -> !warnings.contains(w) && aboutOneOf(w, clusters)).forEach(warnings::add);
      sets.add(new Set(part, rows));
    }
    return new Answer(sets, currency, warnings);
  }
}
