package io.fleetlens.promql.eval;

/** A valid query that cannot be executed (too many samples, duplicate series, a timeout, ...). */
public class EvalException extends RuntimeException {

  /** CANCELLED: the thread evaluating it was interrupted, as when the caller went away. */
  public enum Kind { EXECUTION, TOO_MANY_SAMPLES, TIMEOUT, CANCELLED }

  private final Kind kind;

  public EvalException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public EvalException(String message) {
    this(Kind.EXECUTION, message);
  }

  public Kind kind() {
    return kind;
  }
}
