package io.fleetlens.pricing;

/** A price sheet that cannot be stored as given; {@code field} names what is wrong. */
public final class InvalidPriceSheetException extends RuntimeException {

  private final String field;

  public InvalidPriceSheetException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
