package io.fleetlens.core.metrics;

import java.util.List;

/** Where scraped samples go, and what the scraped metrics are. */
@FunctionalInterface
public interface SampleSink {

  void accept(List<Sample> samples);

  /** The metrics' descriptions ({@code # TYPE}, {@code # HELP}, {@code # UNIT}), from the same source. */
  default void describe(List<MetricMetadata> metadata) {
  }
}
