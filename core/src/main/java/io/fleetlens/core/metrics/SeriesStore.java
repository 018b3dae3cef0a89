package io.fleetlens.core.metrics;

import java.util.List;

/**
 * Where the PromQL engine reads samples from: every series matching all matchers, with its samples
 * in {@code [minTime, maxTime]} (milliseconds), oldest first. Stale markers are kept (as
 * {@link StaleNaN}), so the engine can end a series where Prometheus would.
 */
public interface SeriesStore {

  List<StoredSeries> select(List<LabelMatcher> matchers, long minTime, long maxTime);

  /** One series and its samples, in time order; {@code timestamps} and {@code values} have equal length. */
  record StoredSeries(Labels labels, long[] timestamps, double[] values) {
  }
}
