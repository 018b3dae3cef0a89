package io.fleetlens.logql.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Lines held in memory: the engine's tests, and the reference other sources are held to. Not thread-safe. */
public final class InMemoryLogSource implements LogSource {

  private final List<LogEntry> entries = new ArrayList<>();

  public void add(LogEntry entry) {
    entries.add(entry);
  }

  @Override
  public List<LogEntry> select(Selection selection, long startNanos, long endNanos, Direction direction, int limit) {
    Comparator<LogEntry> order = Comparator.comparingLong(LogEntry::timestampNanos);
    return entries.stream()
        .filter(e -> e.timestampNanos() >= startNanos && e.timestampNanos() < endNanos)
        .filter(e -> selection.matchers().stream().allMatch(m -> m.matches(e.stream())))
        .filter(e -> selection.contains().stream().allMatch(e.line()::contains))
        .filter(e -> selection.lacks().stream().noneMatch(e.line()::contains))
        .sorted(direction == Direction.FORWARD ? order : order.reversed())
        .limit(limit)
        .toList();
  }
}
