package io.fleetlens.aggregator;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/** Exponential backoff with full jitter, capped; starts over after a success. */
final class Backoff {

  private final long initialMs;
  private final long maxMs;
  private long currentMs;

  Backoff(long initialMs, long maxMs) {
    this.initialMs = initialMs;
    this.maxMs = maxMs;
    this.currentMs = initialMs;
  }

  long nextDelayMs() {
    long delay = ThreadLocalRandom.current().nextLong(currentMs / 2, currentMs + 1);
    currentMs = Math.min(maxMs, currentMs * 2);
    return delay;
  }

  void reset() {
    currentMs = initialMs;
  }

  /**
   * Tries {@code attempt} on what is left until nothing is, sleeping between tries; returns false
   * when {@code running} turned false first (then nothing of it may be committed).
   */
  <T> boolean retryUntilEmpty(List<T> pending, BooleanSupplier running, UnaryOperator<List<T>> attempt)
      throws InterruptedException {
    List<T> left = pending;
    while (!left.isEmpty()) {
      if (!running.getAsBoolean()) {
        return false;
      }
      left = attempt.apply(left);
      if (!left.isEmpty()) {
        Thread.sleep(nextDelayMs());
      }
    }
    reset();
    return true;
  }
}
