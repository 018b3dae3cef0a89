package io.fleetlens.logql.eval;

import java.util.List;

import io.fleetlens.core.metrics.LabelMatcher;

/**
 * Where the engine reads lines: those of the streams a selector picks that contain (or lack) some
 * exact strings, in a time range, newest or oldest first. A store turns all of it into its own
 * query; the rest of a pipeline runs in the engine.
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
}
