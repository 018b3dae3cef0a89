package io.fleetlens.query;

import java.util.List;

import io.fleetlens.core.access.Scope;
import io.fleetlens.core.metrics.LabelMatcher;
import io.fleetlens.core.metrics.SeriesStore;

/**
 * A series store that hands the engine only the series a scope may see, by their {@code cluster}
 * and {@code namespace} labels. Every selector of a query reads through it, inside subqueries,
 * {@code or}, {@code label_replace} and {@code {__name__=~".+"}} alike, so no PromQL can reach
 * what it filters out.
 */
final class ScopedSeriesStore implements SeriesStore {

  private final SeriesStore store;
  private final Scope scope;

  ScopedSeriesStore(SeriesStore store, Scope scope) {
    this.store = store;
    this.scope = scope;
  }

  @Override
  public List<StoredSeries> select(List<LabelMatcher> matchers, long minTime, long maxTime) {
    return store.select(matchers, minTime, maxTime).stream()
        .filter(s -> scope.sees(s.labels().get("cluster"), s.labels().get("namespace"))).toList();
  }
}
