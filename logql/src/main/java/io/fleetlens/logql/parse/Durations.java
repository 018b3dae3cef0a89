package io.fleetlens.logql.parse;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as LogQL writes them: Go's ({@code 250ms}, {@code 1.5s}, {@code 1h30m}) and
 * Prometheus' day, week and year units for ranges ({@code 1d}, {@code 2w}).
 */
public final class Durations {

  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h|d|w|y)");

  private Durations() {
  }

  /** The duration in nanoseconds; an {@link IllegalArgumentException} when it is not one. */
  public static BigDecimal nanos(String text) {
    Matcher m = PART.matcher(text);
    BigDecimal total = BigDecimal.ZERO;
    int at = 0;
    while (m.lookingAt()) {
      BigDecimal unit = switch (m.group(2)) {
        case "ns" -> BigDecimal.ONE;
        case "us", "µs" -> BigDecimal.valueOf(1_000L);
        case "ms" -> BigDecimal.valueOf(1_000_000L);
        case "s" -> BigDecimal.valueOf(1_000_000_000L);
        case "m" -> BigDecimal.valueOf(60_000_000_000L);
        case "h" -> BigDecimal.valueOf(3_600_000_000_000L);
        case "d" -> BigDecimal.valueOf(86_400_000_000_000L);
        case "w" -> BigDecimal.valueOf(7 * 86_400_000_000_000L);
        default -> BigDecimal.valueOf(365 * 86_400_000_000_000L);
      };
      total = total.add(new BigDecimal(m.group(1)).multiply(unit));
      at = m.end();
      m.region(at, text.length());
    }
    if (at == 0 || at != text.length()) {
      throw new IllegalArgumentException("not a valid duration: " + text);
    }
    return total;
  }

  public static long millis(String text) {
    return nanos(text).movePointLeft(6).longValue();
  }

  public static double seconds(String text) {
    return nanos(text).movePointLeft(9).doubleValue();
  }
}
