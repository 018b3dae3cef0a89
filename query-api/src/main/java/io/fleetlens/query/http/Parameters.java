package io.fleetlens.query.http;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import io.fleetlens.core.logs.InvalidQueryException;
import io.fleetlens.core.time.Rfc3339;
import io.fleetlens.promql.parse.ParseException;
import io.fleetlens.promql.parse.Parser;
import io.fleetlens.query.allocation.AllocationWindow;
import io.vertx.core.MultiMap;

/**
 * Reads the query parameters every surface shares: times as the Prometheus HTTP API takes them
 * (RFC 3339, or Unix seconds with a fraction), durations (float seconds, or {@code 1m30s}), whole
 * numbers such as limits. A value that does not read is an {@link InvalidQueryException} naming
 * the parameter, a 400.
 */
public final class Parameters {

  private Parameters() {
  }

  public static boolean present(MultiMap p, String name) {
    return p.get(name) != null && !p.get(name).isEmpty();
  }

  public static String required(MultiMap p, String name) {
    if (!present(p, name)) {
      throw new InvalidQueryException(name, "invalid parameter \"" + name + "\": missing");
    }
    return p.get(name);
  }

  /** RFC 3339 ({@code 2026-11-23T10:00:00Z}) or Unix seconds ({@code 1795435200.5}). */
  public static Instant time(String name, String value) {
    try {
      if (value.matches("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?")) {
        BigDecimal seconds = new BigDecimal(value);
        return Instant.ofEpochSecond(seconds.longValue(),
            seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
      }
      return Rfc3339.parse(value);
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new InvalidQueryException(name, "not an RFC 3339 time or Unix seconds: " + value);
    }
  }

  public static long millis(String name, String value) {
    return time(name, value).toEpochMilli();
  }

  /** A duration in milliseconds: float seconds, or a Prometheus duration such as {@code 15s} or {@code 1m30s}. */
  public static long duration(String name, String value) {
    try {
      if (value.matches("\\d+(\\.\\d+)?")) {
        return new BigDecimal(value).movePointRight(3).longValue();
      }
      return Parser.parseDuration(value);
    } catch (ParseException | NumberFormatException e) {
      throw new InvalidQueryException(name, "invalid parameter \"" + name + "\": cannot parse \"" + value
          + "\" to a valid duration");
    }
  }

  /** An allocation window ({@code 1h}, {@code today}, {@code start,end}; see {@link AllocationWindow}) ending now. */
  public static AllocationWindow window(String text, Clock clock) {
    try {
      return AllocationWindow.parse(text, clock.millis(), v -> duration("window", v), v -> time("window", v));
    } catch (IllegalArgumentException e) {
      throw new InvalidQueryException("window", e.getMessage());
    }
  }

  /**
   * A whole number from {@code min} to {@code max}, {@code fallback} when absent or empty; otherwise
   * a 400 saying {@code expected}.
   */
  public static int wholeNumber(MultiMap p, String name, int fallback, int min, int max, String expected) {
    if (!present(p, name)) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(p.get(name));
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new InvalidQueryException(name, expected);
  }
}
