package io.fleetlens.query.loki;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import io.fleetlens.core.logs.InvalidQueryException;
import io.fleetlens.core.time.Rfc3339;
import io.fleetlens.logql.parse.Durations;
import io.vertx.core.MultiMap;

/**
 * Loki's query parameters: times as Unix nanoseconds (Grafana's), Unix seconds (ten digits or
 * fewer, or with a fraction) or RFC 3339; steps as durations or seconds.
 */
final class LokiParameters {

  private LokiParameters() {
  }

  /** A time in nanoseconds, or {@code fallback} when absent. */
  static long time(MultiMap p, String name, long fallback) {
    String v = p.get(name);
    if (v == null || v.isEmpty()) {
      return fallback;
    }
    try {
      if (v.contains(".")) {
        return new BigDecimal(v).movePointRight(9).longValueExact();
      }
      if (v.matches("-?\\d+")) {
        long n = Long.parseLong(v);
        return v.replace("-", "").length() <= 10 ? Math.multiplyExact(n, 1_000_000_000L) : n;
      }
      Instant t = Rfc3339.parse(v);
      return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    } catch (NumberFormatException | ArithmeticException | DateTimeParseException e) {
      throw new InvalidQueryException(name, "invalid parameter \"" + name + "\": cannot parse \"" + v
          + "\": not Unix nanoseconds, Unix seconds or an RFC 3339 time");
    }
  }

  /** A step in nanoseconds: a duration ({@code 15s}) or seconds ({@code 15}, {@code 0.5}). */
  static long step(MultiMap p, long startNanos, long endNanos) {
    String v = p.get("step");
    if (v == null || v.isEmpty()) {
      // Loki's default: about 250 points over the range, at least a second apart
      return Math.max((endNanos - startNanos) / 250 / 1_000_000_000L, 1) * 1_000_000_000L;
    }
    long nanos;
    try {
      nanos = v.matches("\\d+(\\.\\d+)?") ? new BigDecimal(v).movePointRight(9).longValueExact()
          : Durations.nanos(v).longValueExact();
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new InvalidQueryException("step", "invalid parameter \"step\": cannot parse \"" + v
          + "\" to a valid duration");
    }
    if (nanos <= 0) {
      throw new InvalidQueryException("step", "zero or negative query resolution step widths are not accepted."
          + " Try a positive integer");
    }
    return nanos;
  }
}
