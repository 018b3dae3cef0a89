package io.fleetlens.query.loki;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.fleetlens.core.access.Scope;
import io.fleetlens.core.logs.LogHit;
import io.fleetlens.core.logs.LogRecord;
import io.fleetlens.core.logs.LogSelection;
import io.fleetlens.core.logs.LogStore;
import io.fleetlens.core.logs.StoreUnavailableException;
import io.fleetlens.core.logs.StreamLabels;
import io.fleetlens.logql.eval.LogEntry;
import io.fleetlens.logql.eval.LogSource;

/**
 * A {@link LogStore} (already scoped to the caller) as the LogQL engine reads it: a line's labels
 * are its {@link StreamLabels}; its JSON message fields are its structured metadata. Every line the store returns is checked against the
 * whole selector and the exact line filters, which the store may apply only in part.
 */
final class StoreLogSource implements LogSource {

  private final LogStore store;

  StoreLogSource(LogStore store) {
    this.store = store;
  }

  @Override
  public List<LogEntry> select(Selection selection, long startNanos, long endNanos, Direction direction, int limit) {
    List<LogHit> hits;
    try {
      hits = store.select(new LogSelection(selection.matchers(), selection.contains(), Instant.ofEpochSecond(0, startNanos),
          Instant.ofEpochSecond(0, endNanos), direction == Direction.BACKWARD, limit, Scope.ALL));
    } catch (StoreUnavailableException e) {
      throw new LogStoreUnavailableException(e);
    }
    List<LogEntry> out = new ArrayList<>(hits.size());
    for (LogHit hit : hits) {
      LogEntry entry = entry(hit.record());
      if (selection.matchers().stream().allMatch(m -> m.matches(entry.stream()))
          && selection.contains().stream().allMatch(entry.line()::contains)
          && selection.lacks().stream().noneMatch(entry.line()::contains)) {
        out.add(entry);
      }
    }
    return out;
  }

  /** Counted by the store (an aggregation, no lines read); all stream labels are those the range has. */
  @Override
  public List<io.fleetlens.core.logs.LogVolume> count(List<io.fleetlens.core.metrics.LabelMatcher> matchers,
      List<String> labels, java.util.Set<String> named, io.fleetlens.core.logs.LogWindows windows, int limit) {
    LogSelection selection = new LogSelection(matchers, Instant.ofEpochSecond(0, windows.start(0) + 1),
        Instant.ofEpochSecond(0, windows.end(windows.count() - 1) + 1), false, limit, Scope.ALL);
    try {
      if (!named.isEmpty() && store.hasFields(selection, named)) {
        return null;
      }
      List<String> by = labels != null ? labels : List.copyOf(store.labelNames(selection));
      return store.volume(selection, by, windows);
    } catch (StoreUnavailableException e) {
      throw new LogStoreUnavailableException(e);
    }
  }

  static LogEntry entry(LogRecord r) {
    return new LogEntry(r.timestamp().getEpochSecond() * 1_000_000_000L + r.timestamp().getNano(), r.message(),
        StreamLabels.of(r), r.fields());
  }

  /** The store did not answer, carried through the engine to the HTTP answer (503). */
  static final class LogStoreUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LogStoreUnavailableException(StoreUnavailableException cause) {
      super(cause.getMessage(), cause);
    }
  }
}
