package io.fleetlens.aggregator;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Whether the heap is nearly full: the old generation's use after its last collection above a
 * share of its maximum (what the JVM's collection-usage threshold watches). Asked before a new
 * series head is made, so a heap too small for {@code metric-heads.max-active-series} refuses new
 * series instead of running out of memory. Read at most every 100 ms.
 */
final class HeapPressure implements BooleanSupplier {

  private static final long RECHECK_NANOS = 100_000_000L;

  private final List<MemoryPoolMXBean> oldGeneration;
  private final double share;
  private volatile long checkedNanos = Long.MIN_VALUE / 2;
  private volatile boolean high;

  HeapPressure(double share) {
    this.share = share;
    this.oldGeneration = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP && p.isCollectionUsageThresholdSupported())
        .filter(p -> p.getName().contains("Old") || p.getName().contains("Tenured"))
        .toList();
  }

  /** True when the old generation held more than the share of its maximum after its last collection. */
  @Override
  public boolean getAsBoolean() {
    long now = System.nanoTime();
    if (now - checkedNanos >= RECHECK_NANOS) {
      boolean over = false;
      for (MemoryPoolMXBean pool : oldGeneration) {
        MemoryUsage after = pool.getCollectionUsage();
        long max = after == null ? -1 : after.getMax() > 0 ? after.getMax() : Runtime.getRuntime().maxMemory();
        if (after != null && max > 0 && after.getUsed() > share * max) {
          over = true;
        }
      }
      high = over;
      checkedNanos = now;
    }
    return high;
  }
}
