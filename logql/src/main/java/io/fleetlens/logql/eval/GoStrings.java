package io.fleetlens.logql.eval;

/** Go's double-quoted string literals, as templates write them. */
final class GoStrings {

  private GoStrings() {
  }

  static String unquote(String quoted) {
    StringBuilder out = new StringBuilder();
    for (int i = 1; i < quoted.length() - 1; i++) {
      char c = quoted.charAt(i);
      if (c != '\\' || i + 1 >= quoted.length() - 1) {
        out.append(c);
        continue;
      }
      char e = quoted.charAt(++i);
      switch (e) {
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        default -> out.append(e);
      }
    }
    return out.toString();
  }
}
