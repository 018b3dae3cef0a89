package io.fleetlens.aggregator.access;

import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a request's duration from a JSON access-log field, in seconds. The key names the field
 * and often its unit: {@code request_time} (nginx) and keys ending {@code _seconds}, {@code _sec} or
 * {@code _s} are seconds; {@code _ms}, {@code _millis} milliseconds; {@code _us}, {@code _micros}
 * microseconds; {@code _ns}, {@code _nanos} nanoseconds. A bare {@code duration}, {@code latency},
 * {@code elapsed}, {@code took} or {@code response_time} is read from a value with a unit
 * ({@code "12.5ms"}, {@code "1.2s"}, as Go prints durations), and as milliseconds when it is a plain
 * number (Envoy's and most JSON loggers' habit).
 */
final class Durations {

  private static final Pattern WITH_UNIT = Pattern.compile("^(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)$");
  private static final java.util.Set<String> BARE = java.util.Set.of("duration", "latency", "elapsed", "took",
      "response_time", "responsetime", "request_duration", "time_taken", "http.duration", "http.latency",
      "duration_time", "upstream_response_time");

  private Durations() {
  }

  static OptionalDouble seconds(String key, String value) {
    String leaf = key.substring(key.lastIndexOf('.') + 1);
    Double unit = key.equals("request_time") ? Double.valueOf(1.0) : scaleOf(leaf);
    String v = value.strip();
    if (unit != null) {
      double scale = unit;
      return number(v).stream().map(x -> x * scale).findFirst();
    }
    if (!BARE.contains(key) && !BARE.contains(leaf)) {
      return OptionalDouble.empty();
    }
    Matcher m = WITH_UNIT.matcher(v);
    if (m.matches()) {
      double x = Double.parseDouble(m.group(1));
      return OptionalDouble.of(x * switch (m.group(2)) {
        case "ns" -> 1e-9;
        case "us", "µs" -> 1e-6;
        case "ms" -> 1e-3;
        case "m" -> 60;
        case "h" -> 3_600;
        default -> 1;
      });
    }
    return number(v).stream().map(x -> x / 1_000).findFirst();
  }

  private static Double scaleOf(String leaf) {
    for (String[] suffix : new String[][] {{"_seconds", "1"}, {"_sec", "1"}, {"_s", "1"}, {"_ms", "1e-3"},
        {"_millis", "1e-3"}, {"_us", "1e-6"}, {"_micros", "1e-6"}, {"_ns", "1e-9"}, {"_nanos", "1e-9"}}) {
      if (leaf.endsWith(suffix[0]) && leaf.length() > suffix[0].length()) {
        String stem = leaf.substring(0, leaf.length() - suffix[0].length());
        if (stem.contains("time") || stem.contains("duration") || stem.contains("latency") || stem.contains("elapsed")
            || stem.contains("took")) {
          return Double.parseDouble(suffix[1]);
        }
      }
    }
    return null;
  }

  private static OptionalDouble number(String v) {
    try {
      double x = Double.parseDouble(v);
      return Double.isFinite(x) && x >= 0 ? OptionalDouble.of(x) : OptionalDouble.empty();
    } catch (NumberFormatException e) {
      return OptionalDouble.empty();
    }
  }
}
