package io.fleetlens.core.metrics;

/** The series store could not answer a read (its backend did not answer); trying again later may work. */
public class SeriesStoreUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public SeriesStoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
