package io.fleetlens.core.metrics;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One label matcher of a selector: {@code =}, {@code !=}, {@code =~}, {@code !~}. Regexes are
 * fully anchored, as Prometheus anchors them; a missing label matches as the empty string.
 */
public record LabelMatcher(String name, Type type, String value, Pattern pattern) {

  public enum Type {
    EQUAL("="), NOT_EQUAL("!="), REGEX("=~"), NOT_REGEX("!~");

    private final String symbol;

    Type(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }
  }

  public LabelMatcher {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(value, "value");
  }

  /** A matcher; a regex that does not compile is an IllegalArgumentException naming it. */
  public static LabelMatcher of(String name, Type type, String value) {
    Pattern pattern = null;
    if (type == Type.REGEX || type == Type.NOT_REGEX) {
      try {
        pattern = Pattern.compile("^(?:" + value + ")$", Pattern.DOTALL);
      } catch (java.util.regex.PatternSyntaxException e) {
        throw new IllegalArgumentException("invalid regular expression " + value + ": " + e.getDescription(), e);
      }
    }
    return new LabelMatcher(name, type, value, pattern);
  }

  public boolean matches(String labelValue) {
    String v = labelValue == null ? "" : labelValue;
    return switch (type) {
      case EQUAL -> v.equals(value);
      case NOT_EQUAL -> !v.equals(value);
      case REGEX -> pattern.matcher(v).matches();
      case NOT_REGEX -> !pattern.matcher(v).matches();
    };
  }

  public boolean matches(Labels labels) {
    return matches(labels.get(name));
  }

  /** True when this matcher matches the empty string (so it also matches series without the label). */
  public boolean matchesEmpty() {
    return matches("");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelMatcher m && m.name.equals(name) && m.type == type && m.value.equals(value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, type, value);
  }

  @Override
  public String toString() {
    return name + type.symbol() + '"' + value + '"';
  }
}
