package io.fleetlens.core.metrics;

/**
 * Prometheus' stale marker: a NaN with a particular bit pattern, written when a series disappears
 * from a scrape. It is told apart from an ordinary NaN by its bits.
 */
public final class StaleNaN {

  public static final long BITS = 0x7ff0000000000002L;
  public static final double VALUE = Double.longBitsToDouble(BITS);

  private StaleNaN() {
  }

  public static boolean is(double value) {
    return Double.doubleToRawLongBits(value) == BITS;
  }
}
