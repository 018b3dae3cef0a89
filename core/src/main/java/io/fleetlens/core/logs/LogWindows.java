package io.fleetlens.core.logs;

/**
 * Evenly spaced time windows, as a metric query's steps see them: window {@code i} holds the lines
 * with {@code end(i) - width < t <= end(i)}, where {@code end(i) = firstEndNanos + i * stepNanos}.
 * Windows overlap when the width is more than the step. Times are Unix nanoseconds.
 */
public record LogWindows(long firstEndNanos, long stepNanos, int count, long widthNanos) {

  public LogWindows {
    if (count < 1 || widthNanos < 1 || (count > 1 && stepNanos < 1)) {
      throw new IllegalArgumentException("windows need a count, a width and a step above zero");
    }
  }

  /** One window: the lines with {@code startNanos < t <= endNanos}. */
  public static LogWindows one(long startNanos, long endNanos) {
    return new LogWindows(endNanos, 1, 1, endNanos - startNanos);
  }

  public long end(int i) {
    return firstEndNanos + i * stepNanos;
  }

  /** The (exclusive) start of window {@code i}. */
  public long start(int i) {
    return end(i) - widthNanos;
  }

  /** The index of the window that ends at {@code endNanos}, or -1. */
  public int indexEndingAt(long endNanos) {
    long offset = endNanos - firstEndNanos;
    if (offset < 0 || (count > 1 && offset % stepNanos != 0)) {
      return -1;
    }
    long i = count == 1 ? (offset == 0 ? 0 : -1) : offset / stepNanos;
    return i < count ? (int) i : -1;
  }
}
