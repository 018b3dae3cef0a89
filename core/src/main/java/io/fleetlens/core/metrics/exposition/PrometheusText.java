package io.fleetlens.core.metrics.exposition;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.fleetlens.core.metrics.MetricMetadata;
import io.fleetlens.core.metrics.Sample;

/**
 * Parses the Prometheus text exposition format (0.0.4) and OpenMetrics 1.0 text: one sample per
 * line, {@code name{label="value",...} value [timestamp]}, with {@code #} lines for metadata and
 * OpenMetrics exemplars after {@code " # "}. A line that cannot be parsed is reported and skipped;
 * the others are kept.
 */
public final class PrometheusText {

  /**
   * The samples, what the {@code # HELP}, {@code # TYPE} and {@code # UNIT} lines say of each metric
   * family, and one message per line that could not be parsed.
   */
  public record Parsed(List<Sample> samples, List<MetricMetadata> metadata, List<String> errors) {
  }

  private PrometheusText() {
  }

  /**
   * @param defaultMillis the time of samples that carry none (the scrape's time)
   * @param openMetrics whether sample timestamps are seconds (OpenMetrics) rather than milliseconds
   */
  public static Parsed parse(String text, long defaultMillis, boolean openMetrics) {
    List<Sample> samples = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    Map<String, String[]> families = new LinkedHashMap<>(); // type, help, unit
    String[] lines = text.split("\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.startsWith("#")) {
        describe(line, families);
        continue;
      }
      if (line.isEmpty()) {
        continue;
      }
      try {
        samples.add(new LineParser(line).sample(defaultMillis, openMetrics));
      } catch (IllegalArgumentException e) {
        errors.add("line " + (i + 1) + ": " + e.getMessage());
      }
    }
    List<MetricMetadata> metadata = new ArrayList<>();
    families.forEach((name, d) -> metadata.add(new MetricMetadata(name, d[0], d[1], d[2])));
    return new Parsed(samples, metadata, errors);
  }

  /** Reads a {@code # HELP name text}, {@code # TYPE name type} or {@code # UNIT name unit} line. */
  private static void describe(String line, Map<String, String[]> families) {
    String[] parts = line.substring(1).strip().split("[ \t]+", 3);
    if (parts.length < 3 && !(parts.length == 2 && parts[0].equals("HELP"))) {
      return;
    }
    int slot = switch (parts[0]) {
      case "TYPE" -> 0;
      case "HELP" -> 1;
      case "UNIT" -> 2;
      default -> -1;
    };
    if (slot < 0) {
      return;
    }
    String value = parts.length == 3 ? parts[2] : "";
    if (slot == 1) {
      value = unescapeHelp(value);
    } else {
      value = value.strip().toLowerCase(java.util.Locale.ROOT);
    }
    families.computeIfAbsent(parts[1], k -> new String[3])[slot] = value;
  }

  private static String unescapeHelp(String text) {
    if (text.indexOf('\\') < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length()) {
        char next = text.charAt(++i);
        out.append(next == 'n' ? '\n' : next);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** A cursor over one sample line. */
  private static final class LineParser {
    private final String line;
    private int at;

    LineParser(String line) {
      this.line = line;
    }

    Sample sample(long defaultMillis, boolean openMetrics) {
      String name = name();
      TreeMap<String, String> labels = new TreeMap<>();
      if (peek() == '{') {
        labels(labels);
      }
      String[] rest = line.substring(at).strip().split(" # ", 2)[0].strip().split("\\s+");
      if (rest.length == 0 || rest[0].isEmpty() || rest.length > 2) {
        throw new IllegalArgumentException("expected a value and an optional timestamp after " + name);
      }
      double value = value(rest[0]);
      long millis = rest.length == 2 ? timestamp(rest[1], openMetrics) : defaultMillis;
      return new Sample(name, labels, millis, value);
    }

    private String name() {
      int start = at;
      while (at < line.length() && (Character.isLetterOrDigit(peek()) || peek() == '_' || peek() == ':')) {
        at++;
      }
      if (at == start || Character.isDigit(line.charAt(start))) {
        throw new IllegalArgumentException("no metric name");
      }
      return line.substring(start, at);
    }

    private void labels(TreeMap<String, String> labels) {
      at++;
      while (true) {
        skipSpaces();
        if (peek() == '}') {
          at++;
          return;
        }
        String label = name();
        skipSpaces();
        expect('=');
        skipSpaces();
        labels.put(label, quoted());
        skipSpaces();
        if (peek() == ',') {
          at++;
        } else if (peek() != '}') {
          throw new IllegalArgumentException("expected , or } in the labels");
        }
      }
    }

    private String quoted() {
      expect('"');
      StringBuilder value = new StringBuilder();
      while (at < line.length()) {
        char c = line.charAt(at++);
        if (c == '"') {
          return value.toString();
        }
        if (c == '\\' && at < line.length()) {
          char escaped = line.charAt(at++);
          value.append(escaped == 'n' ? '\n' : escaped);
        } else {
          value.append(c);
        }
      }
      throw new IllegalArgumentException("unterminated label value");
    }

    private static double value(String text) {
      return switch (text) {
        case "NaN" -> Double.NaN;
        case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
        case "-Inf" -> Double.NEGATIVE_INFINITY;
        default -> {
          try {
            yield Double.parseDouble(text);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: " + text);
          }
        }
      };
    }

    private static long timestamp(String text, boolean openMetrics) {
      try {
        return openMetrics ? Math.round(Double.parseDouble(text) * 1000) : Long.parseLong(text);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a timestamp: " + text);
      }
    }

    private char peek() {
      return at < line.length() ? line.charAt(at) : '\0';
    }

    private void skipSpaces() {
      while (peek() == ' ' || peek() == '\t') {
        at++;
      }
    }

    private void expect(char c) {
      if (peek() != c) {
        throw new IllegalArgumentException("expected " + c + " at column " + (at + 1));
      }
      at++;
    }
  }
}
