package io.fleetlens.core.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Lets each distinct description through once per {@code periodMs}, and none that says nothing:
 * exporters repeat theirs at every scrape and Prometheus every minute, while it changes rarely. The
 * memory is bounded; a forgotten entry is only sent again.
 */
public final class MetadataOnce {

  private static final int MAX_ENTRIES = 50_000;

  private final long periodMs;
  private final Map<MetricMetadata, Long> sentAt = new LinkedHashMap<>(1_024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<MetricMetadata, Long> eldest) {
      return size() > MAX_ENTRIES;
    }
  };

  public MetadataOnce(long periodMs) {
    this.periodMs = periodMs;
  }

  /** Whether {@code metadata} should be sent now; if so, it counts as sent. */
  public synchronized boolean due(MetricMetadata metadata, long nowMs) {
    if (metadata.saysNothing()) {
      return false;
    }
    Long last = sentAt.get(metadata);
    if (last != null && nowMs - last < periodMs) {
      return false;
    }
    sentAt.put(metadata, nowMs);
    return true;
  }
}
