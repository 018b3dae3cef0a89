package io.fleetlens.pricing;

/** A price sheet or cluster that cannot be stored as given; {@code field} names what is wrong. */
public final class InvalidPricingException extends RuntimeException {

  private final String field;

  public InvalidPricingException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
