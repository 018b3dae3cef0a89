package io.fleetlens.logql.eval;

import java.util.List;

import io.fleetlens.core.logs.LogVolume;
import io.fleetlens.core.logs.LogWindows;
import io.fleetlens.core.metrics.LabelMatcher;

/**
 * Where the engine reads lines: those of the streams a selector picks that contain (or lack) some
 * exact strings, in a time range, newest or oldest first. A store turns all of it into its own
 * query; the rest of a pipeline runs in the engine. A source may also count lines itself, which
 * spares the engine reading them for the range aggregations of a bare selector.
 */
public interface LogSource {

  /** The selector and the exact line filters ({@code |=}, {@code !=}) a store can apply itself. */
  record Selection(List<LabelMatcher> matchers, List<String> contains, List<String> lacks) {
    public Selection {
      matchers = List.copyOf(matchers);
      contains = List.copyOf(contains);
      lacks = List.copyOf(lacks);
    }
  }

  enum Direction {
    FORWARD, BACKWARD
  }

  /**
   * At most {@code limit} lines of the selection with {@code startNanos <= t < endNanos}, oldest
   * first ({@code FORWARD}) or newest first.
   */
  List<LogEntry> select(Selection selection, long startNanos, long endNanos, Direction direction, int limit);

  /**
   * What to count: the lines (and, with {@code bytes}, their bytes) of the streams
   * {@code matchers} pick in each of {@code windows}, per distinct values of the stream labels
   * {@code labels} (null: all of a line's stream labels, one count per stream). A source may stop
   * once it has found more than {@code limit} label sets. {@code named} are the names the query
   * groups by: a line with a stored field by one of them (and no stream label of that name) must be
   * read by the engine.
   */
  record Counting(List<LabelMatcher> matchers, List<String> labels, java.util.Set<String> named, LogWindows windows,
      int limit, boolean bytes) {
    public Counting {
      matchers = List.copyOf(matchers);
      labels = labels == null ? null : List.copyOf(labels);
      named = java.util.Set.copyOf(named);
    }
  }

  /**
   * The counts, windows without lines left out (bytes 0 unless asked for); the answer holds more
   * than the limit's label sets when the source stopped early. Null when the source cannot count
   * without reading the lines, or when a line it would count has a stored field by one of the names
   * the query groups by.
   */
  default List<LogVolume> count(Counting counting) {
    return null;
  }
}
