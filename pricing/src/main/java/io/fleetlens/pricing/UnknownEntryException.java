package io.fleetlens.pricing;

/** A price sheet or cluster asked for by id or name that is not there (or retired). */
public final class UnknownEntryException extends RuntimeException {

  public UnknownEntryException(String message) {
    super(message);
  }
}
