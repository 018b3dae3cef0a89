package io.fleetlens.query.loki;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.fleetlens.core.access.Scope;
import io.fleetlens.core.logs.LogHit;
import io.fleetlens.core.logs.LogRecord;
import io.fleetlens.core.logs.LogSelection;
import io.fleetlens.core.logs.LogStore;
import io.fleetlens.core.logs.LogVolume;
import io.fleetlens.core.logs.LogWindows;
import io.fleetlens.core.logs.StoreUnavailableException;
import io.fleetlens.core.logs.StreamLabels;
import io.fleetlens.logql.eval.LogEntry;
import io.fleetlens.logql.eval.LogSource;

/**
 * A {@link LogStore} (already scoped to the caller) as the LogQL engine reads it: a line's labels
 * are its {@link StreamLabels}; its JSON message fields are its structured metadata. The store
 * applies the exact line filters that must match ({@code |=}); every line it returns is checked
 * against the whole selector (a store may apply a regular expression only in part) and the
 * filters that must not match ({@code !=}).
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
          && selection.lacks().stream().noneMatch(entry.line()::contains)) {
        out.add(entry);
      }
    }
    return out;
  }

  /** Counted by the store (an aggregation, no lines read); all stream labels are those the range has. */
  @Override
  public List<LogVolume> count(Counting counting) {
    LogWindows windows = counting.windows();
    LogSelection selection = new LogSelection(counting.matchers(), Instant.ofEpochSecond(0, windows.start(0) + 1),
        Instant.ofEpochSecond(0, windows.end(windows.count() - 1) + 1), false, counting.limit(), Scope.ALL);
    try {
      List<String> by = counting.labels() != null ? counting.labels() : List.copyOf(store.labelNames(selection));
      return store.volume(selection, by, windows, counting.named(), counting.bytes()).orElse(null);
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
