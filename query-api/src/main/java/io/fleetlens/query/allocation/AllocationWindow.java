package io.fleetlens.query.allocation;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;

/**
 * The window of an allocation query, as OpenCost takes it: {@code today}, {@code yesterday},
 * {@code week} (since Monday), {@code lastweek}, {@code month}, {@code lastmonth} (UTC calendar
 * periods), a duration back from now ({@code 30m}, {@code 24h}, {@code 7d}), or {@code start,end}
 * as RFC 3339 or Unix seconds.
 */
public record AllocationWindow(long startMs, long endMs) {

  /** The window named by {@code text} at {@code nowMs}; IllegalArgumentException says what is wrong. */
  public static AllocationWindow parse(String text, long nowMs, java.util.function.ToLongFunction<String> duration,
      java.util.function.Function<String, Instant> time) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("window: required, such as 24h, today, lastweek or start,end");
    }
    LocalDate today = Instant.ofEpochMilli(nowMs).atZone(ZoneOffset.UTC).toLocalDate();
    AllocationWindow w = switch (text) {
      case "today" -> between(today, today.plusDays(1), nowMs);
      case "yesterday" -> between(today.minusDays(1), today, nowMs);
      case "week" -> between(today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)), today.plusDays(1), nowMs);
      case "lastweek" -> {
        LocalDate monday = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        yield between(monday.minusWeeks(1), monday, nowMs);
      }
      case "month" -> between(today.withDayOfMonth(1), today.plusDays(1), nowMs);
      case "lastmonth" -> between(today.withDayOfMonth(1).minusMonths(1), today.withDayOfMonth(1), nowMs);
      default -> {
        if (text.contains(",")) {
          String[] parts = text.split(",", 2);
          yield new AllocationWindow(time.apply(parts[0].strip()).toEpochMilli(),
              time.apply(parts[1].strip()).toEpochMilli());
        }
        long ms = duration.applyAsLong(text);
        yield new AllocationWindow(nowMs - ms, nowMs);
      }
    };
    if (w.endMs <= w.startMs) {
      throw new IllegalArgumentException("window: its start must be before its end");
    }
    return w;
  }

  private static AllocationWindow between(LocalDate from, LocalDate to, long nowMs) {
    long end = Math.min(nowMs, to.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
    return new AllocationWindow(from.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli(), end);
  }
}
