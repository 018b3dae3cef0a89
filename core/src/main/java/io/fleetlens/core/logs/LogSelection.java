package io.fleetlens.core.logs;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import io.fleetlens.core.access.Scope;
import io.fleetlens.core.metrics.LabelMatcher;

/**
 * The lines of the streams some label matchers pick, as LogQL's stream selectors pick them, in a
 * time range ({@code start} inclusive, {@code end} exclusive), newest or oldest first, at most
 * {@code limit}, within what {@code scope} may see; of those, only the lines whose message
 * {@code contains} each string (exactly: LogQL's {@code |=}). Label names are a line's stream
 * labels: {@code cluster}, {@code namespace}, {@code pod}, {@code container}, {@code node},
 * {@code stream}, {@code level}, {@code workload} and its pod's labels by their own names.
 */
public record LogSelection(List<LabelMatcher> matchers, List<String> contains, Instant start, Instant end,
    boolean newestFirst, int limit, Scope scope) {

  /** Every line of the streams the matchers pick. */
  public LogSelection(List<LabelMatcher> matchers, Instant start, Instant end, boolean newestFirst, int limit,
      Scope scope) {
    this(matchers, List.of(), start, end, newestFirst, limit, scope);
  }

  public LogSelection {
    matchers = List.copyOf(matchers);
    contains = List.copyOf(contains);
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    Objects.requireNonNull(scope, "scope");
    if (limit < 1) {
      throw new InvalidQueryException("limit", "must be at least 1");
    }
  }

  /** The same selection, limited to what {@code newScope} may see. */
  public LogSelection within(Scope newScope) {
    return new LogSelection(matchers, contains, start, end, newestFirst, limit, newScope);
  }
}
