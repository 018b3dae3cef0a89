package io.fleetlens.query.logs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.fleetlens.core.logs.InvalidQueryException;
import io.fleetlens.core.logs.LogFilters;
import io.fleetlens.core.logs.LogLevel;
import io.fleetlens.core.logs.LogQuery;
import io.fleetlens.core.logs.LogStream;
import io.vertx.core.MultiMap;
import io.fleetlens.query.http.Parameters;

/** Turns the query string of {@code GET /api/v1/logs} into a {@link LogQuery}, naming any bad parameter. */
public final class LogQueryParameters {

  static final Duration DEFAULT_RANGE = Duration.ofHours(1);

  private LogQueryParameters() {
  }

  public static LogQuery parse(MultiMap params, Clock clock) {
    Instant end = optional(params, "end", v -> Parameters.time("end", v));
    if (end == null) {
      end = clock.instant();
    }
    Instant start = optional(params, "start", v -> Parameters.time("start", v));
    if (start == null) {
      start = end.minus(DEFAULT_RANGE);
    }
    LogFilters filters = new LogFilters(
        params.get("cluster"), params.get("namespace"), params.get("pod"), params.get("container"),
        optional(params, "stream", LogQueryParameters::stream),
        optional(params, "level", LogQueryParameters::level),
        params.get("workload"), prefixed(params, "label."), prefixed(params, "field."));
    int limit = Parameters.wholeNumber(params, "limit", LogQuery.DEFAULT_LIMIT, Integer.MIN_VALUE, Integer.MAX_VALUE,
        "must be a whole number between 1 and " + LogQuery.MAX_LIMIT);
    return new LogQuery(params.get("q"), filters, start, end, limit, params.get("cursor"));
  }

  /** {@code label.app=cart} and the like: the keys after {@code prefix}, each given once. */
  private static Map<String, String> prefixed(MultiMap params, String prefix) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String name : params.names()) {
      if (!name.startsWith(prefix)) {
        continue;
      }
      String key = name.substring(prefix.length());
      List<String> given = params.getAll(name);
      if (key.isEmpty() || given.size() != 1 || given.get(0).isEmpty()) {
        throw new InvalidQueryException(name, "give one non-empty value for one key, e.g. " + prefix + "app=cart");
      }
      values.put(key, given.get(0));
    }
    return values;
  }

  private static <T> T optional(MultiMap params, String name, Function<String, T> parse) {
    String value = params.get(name);
    return value == null || value.isEmpty() ? null : parse.apply(value);
  }

  private static LogStream stream(String value) {
    try {
      return LogStream.fromWireName(value);
    } catch (IllegalArgumentException e) {
      throw new InvalidQueryException("stream", "must be stdout or stderr");
    }
  }

  private static LogLevel level(String value) {
    return LogLevel.parse(value).orElseThrow(() -> new InvalidQueryException("level",
        "must be one of trace, debug, info, warn, error, fatal"));
  }

}
