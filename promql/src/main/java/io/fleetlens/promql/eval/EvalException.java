package io.fleetlens.promql.eval;

/** A valid query that cannot be executed (too many samples, duplicate series, a timeout, ...). */
public class EvalException extends RuntimeException {

  public enum Kind { EXECUTION, TOO_MANY_SAMPLES, TIMEOUT }

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
