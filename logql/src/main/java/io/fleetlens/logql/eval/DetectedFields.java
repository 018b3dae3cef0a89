package io.fleetlens.logql.eval;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.fleetlens.logql.parse.Bytes;
import io.fleetlens.logql.parse.Durations;
import io.fleetlens.logql.parse.Expr;

/**
 * The fields some lines carry, as Loki's {@code detected_fields} reports them to Grafana: a JSON
 * line's stored fields (or, for a JSON line stored without them, what {@code | json} reads), and
 * what {@code | logfmt} reads of a line with {@code key=value} pairs; each with the type all its
 * values share ({@code int}, {@code float}, {@code boolean}, {@code duration}, {@code bytes},
 * else {@code string}), how many distinct values it took, the parser that finds it and, for a
 * nested JSON field, its path.
 */
public final class DetectedFields {

  /** One field: its label name, type, distinct values, parsers, and JSON path (empty unless nested). */
  public record Field(String label, String type, int cardinality, List<String> parsers, List<String> jsonPath) {
  }

  private static final int MAX_VALUES_COUNTED = 10_000;
  private static final Expr.Logfmt LOGFMT = new Expr.Logfmt(false, false, List.of());

  private DetectedFields() {
  }

  /** The fields of {@code lines}, by name, at most {@code limit} of them. */
  public static List<Field> of(List<LogEntry> lines, int limit) {
    Map<String, Seen> seen = new TreeMap<>();
    for (LogEntry line : lines) {
      String text = line.line().strip();
      boolean json = text.startsWith("{");
      if (!line.metadata().isEmpty()) {
        line.metadata().forEach((key, value) -> seen.computeIfAbsent(Fields.sanitize(key),
            k -> new Seen(key.contains(".") ? List.of(key.split("\\.")) : List.of()))
            .add(json ? "json" : null, value));
        continue;
      }
      Map<String, String> parsed = new LinkedHashMap<>();
      String parser;
      if (json) {
        Fields.json(text, List.of(), parsed, Set.of());
        parser = "json";
      } else if (text.indexOf('=') > 0) {
        Fields.logfmt(text, LOGFMT, parsed, Set.of());
        parser = "logfmt";
      } else {
        continue;
      }
      if (parsed.containsKey(Pipeline.ERROR)) {
        continue;
      }
      parsed.forEach((name, value) -> {
        if (!value.isEmpty()) {
          seen.computeIfAbsent(name, k -> new Seen(List.of())).add(parser, value);
        }
      });
    }
    List<Field> out = new ArrayList<>();
    for (Map.Entry<String, Seen> e : seen.entrySet()) {
      if (out.size() == limit) {
        break;
      }
      Seen s = e.getValue();
      out.add(new Field(e.getKey(), s.type, s.values.size(), List.copyOf(s.parsers), s.jsonPath));
    }
    return out;
  }

  private static final class Seen {
    final List<String> jsonPath;
    final Set<String> values = new HashSet<>();
    final Set<String> parsers = new java.util.TreeSet<>();
    String type;

    Seen(List<String> jsonPath) {
      this.jsonPath = jsonPath;
    }

    void add(String parser, String value) {
      if (parser != null) {
        parsers.add(parser);
      }
      if (values.size() < MAX_VALUES_COUNTED) {
        values.add(value);
      }
      String t = typeOf(value);
      type = type == null || type.equals(t) ? t : "string";
    }
  }

  static String typeOf(String value) {
    String v = value.strip();
    if (v.equals("true") || v.equals("false")) {
      return "boolean";
    }
    try {
      Long.parseLong(v);
      return "int";
    } catch (NumberFormatException e) {
      // not an integer
    }
    try {
      Double.parseDouble(v);
      return v.chars().anyMatch(Character::isLetter) ? "string" : "float";
    } catch (NumberFormatException e) {
      // not a number
    }
    if (!v.isEmpty() && Character.isDigit(v.charAt(0))) {
      try {
        Durations.seconds(v);
        return "duration";
      } catch (IllegalArgumentException e) {
        // not a duration
      }
      try {
        Bytes.parse(v);
        return "bytes";
      } catch (IllegalArgumentException e) {
        // not a size
      }
    }
    return "string";
  }
}
