package io.fleetlens.logql.eval;

/** A query that parsed but cannot be answered: over a limit, or with a pipeline error in its result. */
public final class LogqlException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Why: a limit (the HTTP API names it) or the query itself. */
  public enum Kind {
    MAX_ENTRIES, MAX_SERIES, PIPELINE_ERROR, BAD_QUERY
  }

  private final Kind kind;

  public LogqlException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
