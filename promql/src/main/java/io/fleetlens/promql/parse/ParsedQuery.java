package io.fleetlens.promql.parse;

import java.util.IdentityHashMap;
import java.util.Map;

/** A parsed query and where its parts start in the text, for messages such as {@code (1:25)}. */
public record ParsedQuery(String text, Expr expr, Map<Expr, Integer> offsets) {

  public ParsedQuery {
    offsets = new IdentityHashMap<>(offsets);
  }

  /** {@code line:column} where {@code e} starts, or null when unknown. */
  public String position(Expr e) {
    Integer offset = e == null ? null : offsets.get(e);
    return offset == null ? null : lineColumn(text, offset);
  }

  /** {@code line:column} (both from 1) of a character offset in a text. */
  static String lineColumn(String text, int offset) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < offset && i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return line + ":" + column;
  }
}
