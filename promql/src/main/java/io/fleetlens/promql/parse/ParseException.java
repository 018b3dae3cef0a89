package io.fleetlens.promql.parse;

/** A query that is not valid PromQL; the message says where and why. */
public final class ParseException extends RuntimeException {

  public ParseException(String message) {
    super(message);
  }
}
