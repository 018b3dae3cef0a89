package io.fleetlens.pricing;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.micronaut.data.model.Sort;

/**
 * Creating, changing and retiring price sheets, each checked first: a known three-letter currency,
 * no negative price, CPU and RAM prices together or a node price, a start before the end, and no
 * overlap with another live sheet of the same cluster and node type. A sheet that fails a check is
 * not written at all.
 */
public final class PriceSheets {

  private final PriceSheetRepository repository;
  private final Clock clock;

  public PriceSheets(PriceSheetRepository repository, Clock clock) {
    this.repository = repository;
    this.clock = clock;
  }

  public synchronized PriceSheet create(PriceSheet sheet) {
    check(sheet.withId(null), null);
    return repository.save(sheet.withId(null).retired(null));
  }

  public synchronized PriceSheet update(long id, PriceSheet sheet) {
    PriceSheet existing = live(id);
    PriceSheet changed = sheet.withId(existing.id()).retired(null);
    check(changed, existing.id());
    return repository.update(changed);
  }

  /** Retires a sheet: it stays in the database, and no longer prices anything. */
  public synchronized PriceSheet retire(long id) {
    return repository.update(live(id).retired(clock.instant()));
  }

  public List<PriceSheet> live() {
    return repository.findByRetiredAtIsNull(Sort.of(Sort.Order.asc("cluster"), Sort.Order.asc("nodeType"),
        Sort.Order.asc("effectiveFrom")));
  }

  public Optional<PriceSheet> find(long id) {
    return repository.findById(id).filter(s -> s.retiredAt() == null);
  }

  private PriceSheet live(long id) {
    return find(id).orElseThrow(() -> new UnknownEntryException("no live price sheet " + id));
  }

  private void check(PriceSheet s, Long replacing) {
    require(s.cluster() != null && !s.cluster().isBlank(), "cluster", "cluster: required");
    require(s.nodeType() != null, "nodeType", "nodeType: required (empty for the cluster's default)");
    require(s.currency() != null && s.currency().matches("[A-Z]{3}"), "currency",
        "currency: a three-letter ISO 4217 code such as EUR or USD");
    for (Map.Entry<String, BigDecimal> price : prices(s).entrySet()) {
      require(price.getValue() == null || price.getValue().signum() >= 0, price.getKey(),
          price.getKey() + ": must not be negative");
    }
    require(s.gpuHour() != null, "gpuHour", "gpuHour: required (0 when the cluster has no GPU)");
    require(s.pvGibHour() != null, "pvGibHour", "pvGibHour: required");
    boolean split = s.cpuCoreHour() != null && s.ramGibHour() != null;
    require(split || s.nodeHour() != null, "cpuCoreHour",
        "cpuCoreHour and ramGibHour: required together, unless nodeHour is given");
    require(s.effectiveFrom() != null, "effectiveFrom", "effectiveFrom: required");
    require(s.effectiveTo() == null || s.effectiveTo().isAfter(s.effectiveFrom()), "effectiveTo",
        "effectiveTo: must be after effectiveFrom");
    for (PriceSheet other : repository.findByClusterAndNodeTypeAndRetiredAtIsNull(s.cluster(), s.nodeType())) {
      require(other.id().equals(replacing) || !s.overlaps(other), "effectiveFrom",
          "effectiveFrom: overlaps price sheet " + other.id() + " of cluster " + s.cluster()
              + (s.nodeType().isEmpty() ? "" : " and node type " + s.nodeType()) + " (" + other.effectiveFrom() + " to "
              + (other.effectiveTo() == null ? "open end" : other.effectiveTo()) + ")");
    }
  }

  private static Map<String, BigDecimal> prices(PriceSheet s) {
    Map<String, BigDecimal> prices = new java.util.LinkedHashMap<>();
    prices.put("cpuCoreHour", s.cpuCoreHour());
    prices.put("ramGibHour", s.ramGibHour());
    prices.put("gpuHour", s.gpuHour());
    prices.put("pvGibHour", s.pvGibHour());
    prices.put("nodeHour", s.nodeHour());
    return prices;
  }

  private static void require(boolean condition, String field, String message) {
    if (!condition) {
      throw new InvalidPricingException(field, message);
    }
  }
}
