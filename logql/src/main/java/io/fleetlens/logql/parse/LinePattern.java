package io.fleetlens.logql.parse;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pattern of the {@code pattern} parser and the {@code |>} filter: literals and captures
 * ({@code <name>}, or {@code <_>} to skip), matched from the start of the line, each capture
 * taking the text up to the next literal (the last one, the rest of the line).
 */
public final class LinePattern {

  private static final Pattern CAPTURE = Pattern.compile("<(_|[a-zA-Z_][a-zA-Z0-9_]*)>");

  /** A literal (capture null) or a capture (literal null). */
  private record Part(String literal, String capture) {
  }

  private final List<Part> parts;

  private LinePattern(List<Part> parts) {
    this.parts = parts;
  }

  /**
   * Reads a pattern; an {@link IllegalArgumentException} says what is wrong (two captures side by
   * side, or nothing to match).
   */
  public static LinePattern of(String text) {
    List<Part> parts = new ArrayList<>();
    Matcher m = CAPTURE.matcher(text);
    int at = 0;
    while (m.find()) {
      if (m.start() > at) {
        parts.add(new Part(text.substring(at, m.start()), null));
      } else if (!parts.isEmpty() && parts.get(parts.size() - 1).capture() != null) {
        throw new IllegalArgumentException("consecutive captures " + text.substring(0, m.end())
            + " must be separated by a literal");
      }
      parts.add(new Part(null, m.group(1)));
      at = m.end();
    }
    if (at < text.length()) {
      parts.add(new Part(text.substring(at), null));
    }
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("the pattern is empty");
    }
    return new LinePattern(List.copyOf(parts));
  }

  /** The names of the named captures, in order. */
  public List<String> names() {
    List<String> names = new ArrayList<>();
    parts.stream().filter(p -> p.capture() != null && !p.capture().equals("_")).forEach(p -> names.add(p.capture()));
    return names;
  }

  /** The named captures of the line, or null when the line does not match. */
  public Map<String, String> match(String line) {
    Map<String, String> out = new LinkedHashMap<>();
    int at = 0;
    for (int i = 0; i < parts.size(); i++) {
      Part part = parts.get(i);
      if (part.literal() != null) {
        if (!line.startsWith(part.literal(), at)) {
          return null;
        }
        at += part.literal().length();
        continue;
      }
      int end;
      if (i + 1 == parts.size()) {
        end = line.length();
      } else {
        end = line.indexOf(parts.get(i + 1).literal(), at);
        if (end < 0) {
          return null;
        }
      }
      if (!part.capture().equals("_")) {
        out.put(part.capture(), line.substring(at, end));
      }
      at = end;
    }
    return Collections.unmodifiableMap(out);
  }
}
