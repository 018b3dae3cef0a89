package io.fleetlens.pricing;

import java.math.BigDecimal;
import java.time.Instant;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/**
 * What a cluster's resources cost per hour from {@code effectiveFrom} until {@code effectiveTo}
 * (open-ended when null), for one node type or, with an empty {@code nodeType}, for every node
 * without a sheet of its own. Either the CPU and RAM prices are given, or only the node's hourly
 * price ({@code nodeHour}), which allocation splits into CPU and RAM parts.
 */
@MappedEntity("price_sheet")
public record PriceSheet(
    @Id @GeneratedValue @Nullable Long id,
    String cluster,
    String nodeType,
    String currency,
    @Nullable BigDecimal cpuCoreHour,
    @Nullable BigDecimal ramGibHour,
    BigDecimal gpuHour,
    BigDecimal pvGibHour,
    @Nullable BigDecimal nodeHour,
    Instant effectiveFrom,
    @Nullable Instant effectiveTo,
    @Nullable Instant retiredAt) {

  /** Whether this sheet's time overlaps {@code other}'s. */
  public boolean overlaps(PriceSheet other) {
    boolean startsBeforeOtherEnds = other.effectiveTo == null || effectiveFrom.isBefore(other.effectiveTo);
    boolean endsAfterOtherStarts = effectiveTo == null || effectiveTo.isAfter(other.effectiveFrom);
    return startsBeforeOtherEnds && endsAfterOtherStarts;
  }

  public PriceSheet withId(Long newId) {
    return new PriceSheet(newId, cluster, nodeType, currency, cpuCoreHour, ramGibHour, gpuHour, pvGibHour, nodeHour,
        effectiveFrom, effectiveTo, retiredAt);
  }

  public PriceSheet retired(Instant at) {
    return new PriceSheet(id, cluster, nodeType, currency, cpuCoreHour, ramGibHour, gpuHour, pvGibHour, nodeHour,
        effectiveFrom, effectiveTo, at);
  }
}
