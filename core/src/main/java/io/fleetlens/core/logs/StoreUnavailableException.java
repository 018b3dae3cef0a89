package io.fleetlens.core.logs;

/** The store could not be reached, or refused the whole request; trying again later may work. */
public class StoreUnavailableException extends Exception {

  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
