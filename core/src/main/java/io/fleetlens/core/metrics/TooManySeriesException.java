package io.fleetlens.core.metrics;

/** A read asked for more series than the store hands out at once (its series limit). */
public class TooManySeriesException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public TooManySeriesException(String message) {
    super(message);
  }
}
