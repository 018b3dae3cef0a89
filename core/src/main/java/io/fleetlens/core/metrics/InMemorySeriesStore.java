package io.fleetlens.core.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Series, samples and descriptions held in memory: the engine's tests, and the reference the
 * store contract suite holds every other store to. Not thread-safe.
 */
public final class InMemorySeriesStore implements SeriesStore {

  private final Map<Labels, TreeMap<Long, Double>> series = new LinkedHashMap<>();
  private final TreeMap<String, List<MetricMetadata>> descriptions = new TreeMap<>();

  /** Adds one sample; a second sample at the same time replaces the first. */
  public void add(Labels labels, long timeMs, double value) {
    series.computeIfAbsent(labels, k -> new TreeMap<>()).put(timeMs, value);
  }

  /** Adds one description of a metric; an equal one is kept once. */
  public void describe(MetricMetadata metadata) {
    List<MetricMetadata> list = descriptions.computeIfAbsent(metadata.metric(), k -> new ArrayList<>());
    if (!list.contains(metadata)) {
      list.add(metadata);
    }
  }

  public void clear() {
    series.clear();
    descriptions.clear();
  }

  @Override
  public List<StoredSeries> select(List<LabelMatcher> matchers, long minTime, long maxTime) {
    List<StoredSeries> out = new ArrayList<>();
    for (Map.Entry<Labels, TreeMap<Long, Double>> e : series.entrySet()) {
      if (!matchers.stream().allMatch(m -> m.matches(e.getKey()))) {
        continue;
      }
      Map<Long, Double> inRange = e.getValue().subMap(minTime, true, maxTime, true);
      if (inRange.isEmpty()) {
        continue;
      }
      long[] times = new long[inRange.size()];
      double[] values = new double[inRange.size()];
      int n = 0;
      for (Map.Entry<Long, Double> sample : inRange.entrySet()) {
        times[n] = sample.getKey();
        values[n++] = sample.getValue();
      }
      out.add(new StoredSeries(e.getKey(), Arrays.copyOf(times, n), Arrays.copyOf(values, n)));
    }
    return out;
  }

  @Override
  public List<Labels> series(List<LabelMatcher> matchers, long minTime, long maxTime) {
    return select(matchers, minTime, maxTime).stream().map(StoredSeries::labels).sorted().toList();
  }

  @Override
  public Map<String, List<MetricMetadata>> metadata(String metric, int limit, int limitPerMetric, long minTime,
      long maxTime) {
    Map<String, List<MetricMetadata>> found = new LinkedHashMap<>();
    for (Map.Entry<String, List<MetricMetadata>> e : descriptions.entrySet()) {
      if (metric != null && !metric.equals(e.getKey())) {
        continue;
      }
      if (limit > 0 && found.size() >= limit) {
        break;
      }
      List<MetricMetadata> list = e.getValue();
      found.put(e.getKey(), List.copyOf(limitPerMetric > 0 && list.size() > limitPerMetric
          ? list.subList(0, limitPerMetric) : list));
    }
    return found;
  }
}
