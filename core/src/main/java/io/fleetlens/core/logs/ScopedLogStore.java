package io.fleetlens.core.logs;

import io.fleetlens.core.access.Scope;

/**
 * A log store that searches and counts only the lines a scope may see: every query it passes on
 * carries the scope, which the store turns into a filter on cluster and namespace. It is the one
 * place where log tenancy is enforced; callers get it from {@link #of} and never scope a query by
 * hand.
 */
public final class ScopedLogStore implements LogStore {

  private final LogStore store;
  private final Scope scope;

  private ScopedLogStore(LogStore store, Scope scope) {
    this.store = store;
    this.scope = scope;
  }

  /** {@code store} as {@code scope} may read it: the store itself for a scope that sees everything. */
  public static LogStore of(LogStore store, Scope scope) {
    return scope.isAll() ? store : new ScopedLogStore(store, scope);
  }

  @Override
  public LogPage search(LogQuery query) throws StoreUnavailableException {
    return store.search(query.within(scope));
  }

  @Override
  public long count(LogQuery query) throws StoreUnavailableException {
    return store.count(query.within(scope));
  }

  @Override
  public java.util.List<LogHit> select(LogSelection selection) throws StoreUnavailableException {
    return store.select(selection.within(scope));
  }

  @Override
  public java.util.SortedSet<String> labelNames(LogSelection selection) throws StoreUnavailableException {
    return store.labelNames(selection.within(scope));
  }

  @Override
  public java.util.List<io.fleetlens.core.metrics.Labels> streams(LogSelection selection)
      throws StoreUnavailableException {
    return store.streams(selection.within(scope));
  }

  @Override
  public java.util.SortedSet<String> labelValues(String name, LogSelection selection)
      throws StoreUnavailableException {
    return store.labelValues(name, selection.within(scope));
  }

  @Override
  public java.util.Optional<java.util.List<LogVolume>> volume(LogSelection selection, java.util.List<String> labels,
      LogWindows windows, java.util.Set<String> unlessFields, boolean bytes) throws StoreUnavailableException {
    return store.volume(selection.within(scope), labels, windows, unlessFields, bytes);
  }

  @Override
  public LogHistogram histogram(LogQuery query, String by, long intervalMillis) throws StoreUnavailableException {
    return store.histogram(query.within(scope), by, intervalMillis);
  }

  @Override
  public java.util.Optional<LogContext> context(String id, int before, int after, Scope callerScope)
      throws StoreUnavailableException {
    return store.context(id, before, after, scope);
  }
}
