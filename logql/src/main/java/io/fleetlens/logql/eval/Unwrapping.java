package io.fleetlens.logql.eval;

import io.fleetlens.logql.parse.Bytes;
import io.fleetlens.logql.parse.Durations;
import io.fleetlens.logql.parse.Expr;

/** What {@code unwrap} makes of a label's value: a number, a duration in seconds, a size in bytes. */
final class Unwrapping {

  private Unwrapping() {
  }

  /** The sample value, or null when the label is missing or does not read as the conversion asks. */
  static Double value(String text, Expr.Conversion conversion) {
    if (text == null) {
      return null;
    }
    try {
      return switch (conversion) {
        case NUMBER -> Double.parseDouble(text.strip());
        case DURATION, DURATION_SECONDS -> Durations.seconds(text.strip());
        case BYTES -> Bytes.parse(text);
      };
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
