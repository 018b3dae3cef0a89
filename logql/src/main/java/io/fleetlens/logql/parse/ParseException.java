package io.fleetlens.logql.parse;

/**
 * A LogQL query that does not parse, with where: Loki's wording, {@code parse error at line 1, col
 * 11: syntax error: unexpected }, expecting STRING}, which Grafana shows as it is.
 */
public final class ParseException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int line;
  private final int column;

  public ParseException(int line, int column, String message) {
    super("parse error at line " + line + ", col " + column + ": " + message);
    this.line = line;
    this.column = column;
  }

  public int line() {
    return line;
  }

  public int column() {
    return column;
  }
}
