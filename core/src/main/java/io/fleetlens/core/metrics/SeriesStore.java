package io.fleetlens.core.metrics;

import java.util.List;
import java.util.Map;
import java.util.SortedSet;

/**
 * Where series and their samples are read from: what Prometheus' own querier offers (select, label
 * names, label values, series) and the metric descriptions. Times are milliseconds, ranges
 * inclusive. A method that reads by range may count a series seen on one of the range's days
 * although it has no sample inside the range itself (stores keep what series exist per day);
 * {@link #select} and {@link #series} never do.
 *
 * @see ScopedSeriesStore the one place that limits a store to a caller's tenants
 */
public interface SeriesStore {

  /**
   * Every series matching all matchers, with its samples in {@code [minTime, maxTime]}, oldest
   * first. Stale markers are kept (as {@link StaleNaN}), so the engine can end a series where
   * Prometheus would.
   *
   * @throws TooManySeriesException when more series match than the store hands out at once
   * @throws SeriesStoreUnavailableException when the store could not answer
   */
  List<StoredSeries> select(List<LabelMatcher> matchers, long minTime, long maxTime);

  /** The label sets of the series matching all matchers with a sample in {@code [minTime, maxTime]}, sorted. */
  List<Labels> series(List<LabelMatcher> matchers, long minTime, long maxTime);

  /**
   * The label names, {@code __name__} included, of the series matching all matchers (any series
   * when none); by default read off {@link #series}.
   */
  default SortedSet<String> labelNames(List<LabelMatcher> matchers, long minTime, long maxTime) {
    return LabelSets.names(series(matchers, minTime, maxTime));
  }

  /**
   * The values of label {@code name} across the series matching all matchers (any series when
   * none), the first {@code limit} of them in order (0: all); by default read off {@link #series}.
   */
  default SortedSet<String> labelValues(String name, List<LabelMatcher> matchers, int limit, long minTime,
      long maxTime) {
    return LabelSets.values(name, series(matchers, minTime, maxTime), limit);
  }

  /**
   * The descriptions (type, help, unit) of {@code metric}, of every metric when it is null, by metric
   * name in name order: at most {@code limit} metrics and {@code limitPerMetric} descriptions each
   * (0: no limit). Descriptions are kept per metric name, not per series: a store may answer for
   * all time; a scoped one answers only for the metric names of its series in the range.
   */
  Map<String, List<MetricMetadata>> metadata(String metric, int limit, int limitPerMetric, long minTime,
      long maxTime);

  /** One series and its samples, in time order; {@code timestamps} and {@code values} have equal length. */
  record StoredSeries(Labels labels, long[] timestamps, double[] values) {
  }
}
