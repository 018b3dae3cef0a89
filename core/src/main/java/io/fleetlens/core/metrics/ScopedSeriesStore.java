package io.fleetlens.core.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;

import io.fleetlens.core.access.Scope;

/**
 * A series store that hands out only the series a scope may see, by their {@code cluster} and
 * {@code namespace} labels, through every method: the engine's selectors (inside subqueries,
 * {@code or}, {@code label_replace} and {@code {__name__=~".+"}} alike), the series and label APIs
 * and the metric descriptions. It is the one place where metric tenancy is enforced; callers get
 * it from {@link #of} and never filter by hand.
 */
public final class ScopedSeriesStore implements SeriesStore {

  private final SeriesStore store;
  private final Scope scope;

  private ScopedSeriesStore(SeriesStore store, Scope scope) {
    this.store = store;
    this.scope = scope;
  }

  /** {@code store} as {@code scope} may read it: the store itself for a scope that sees everything. */
  public static SeriesStore of(SeriesStore store, Scope scope) {
    return scope.isAll() ? store : new ScopedSeriesStore(store, scope);
  }

  private boolean sees(Labels labels) {
    return scope.sees(labels.get("cluster"), labels.get("namespace"));
  }

  @Override
  public List<StoredSeries> select(List<LabelMatcher> matchers, long minTime, long maxTime) {
    return store.select(matchers, minTime, maxTime).stream().filter(s -> sees(s.labels())).toList();
  }

  @Override
  public List<Labels> series(List<LabelMatcher> matchers, long minTime, long maxTime) {
    return store.series(matchers, minTime, maxTime).stream().filter(this::sees).toList();
  }

  /** The store's descriptions of the metric names this scope's series have in the range, no others. */
  @Override
  public Map<String, List<MetricMetadata>> metadata(String metric, int limit, int limitPerMetric, long minTime,
      long maxTime) {
    List<LabelMatcher> named = metric == null ? List.of()
        : List.of(LabelMatcher.of(Labels.METRIC_NAME, LabelMatcher.Type.EQUAL, metric));
    SortedSet<String> visible = labelValues(Labels.METRIC_NAME, named, 0, minTime, maxTime);
    Map<String, List<MetricMetadata>> found = new LinkedHashMap<>();
    store.metadata(metric, 0, limitPerMetric, minTime, maxTime).forEach((name, described) -> {
      if (visible.contains(name) && (limit <= 0 || found.size() < limit)) {
        found.put(name, described);
      }
    });
    return found;
  }
}
