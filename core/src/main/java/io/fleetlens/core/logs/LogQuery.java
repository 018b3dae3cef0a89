package io.fleetlens.core.logs;

import java.time.Instant;
import java.util.Objects;

/**
 * A log search: full text over messages ({@code text}, may be null), exact filters, a time range
 * ({@code start} inclusive, {@code end} exclusive), newest first, at most {@code limit} hits, after
 * the position a previous page's cursor names (null for the first page), within what the caller's
 * {@code scope} may see.
 */
public record LogQuery(String text, LogFilters filters, Instant start, Instant end, int limit, String cursor,
    io.fleetlens.core.access.Scope scope) {

  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 5000;

  public LogQuery(String text, LogFilters filters, Instant start, Instant end, int limit, String cursor) {
    this(text, filters, start, end, limit, cursor, io.fleetlens.core.access.Scope.ALL);
  }

  /** The same search, limited to what {@code scope} may see. */
  public LogQuery within(io.fleetlens.core.access.Scope newScope) {
    return new LogQuery(text, filters, start, end, limit, cursor, newScope);
  }

  public LogQuery {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(filters, "filters");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidQueryException("limit", "must be between 1 and " + MAX_LIMIT);
    }
    if (!start.isBefore(end)) {
      throw new InvalidQueryException("start", "must be before end");
    }
  }
}
