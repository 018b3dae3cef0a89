package io.fleetlens.logql.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fleetlens.core.logs.LogVolume;
import io.fleetlens.core.logs.LogWindows;
import io.fleetlens.core.metrics.LabelMatcher;
import io.fleetlens.core.metrics.Labels;

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

  @Override
  public List<LogVolume> count(Counting counting) {
    List<LabelMatcher> matchers = counting.matchers();
    List<String> labels = counting.labels();
    LogWindows windows = counting.windows();
    Map<Labels, long[][]> counts = new LinkedHashMap<>(); // label set -> window -> {lines, bytes}
    for (LogEntry e : entries) {
      if (!matchers.stream().allMatch(m -> m.matches(e.stream()))) {
        continue;
      }
      if (e.metadata().keySet().stream().map(LogEntry::labelName)
          .anyMatch(name -> counting.named().contains(name) && !e.stream().has(name))) {
        return null;
      }
      Labels key = labels == null ? e.stream() : e.stream().keep(labels);
      for (int i = 0; i < windows.count(); i++) {
        if (windows.start(i) < e.timestampNanos() && e.timestampNanos() <= windows.end(i)) {
          long[] c = counts.computeIfAbsent(key, k -> new long[windows.count()][2])[i];
          c[0]++;
          c[1] += counting.bytes() ? e.line().getBytes(java.nio.charset.StandardCharsets.UTF_8).length : 0;
        }
      }
    }
    return LogVolume.of(counts);
  }
}
