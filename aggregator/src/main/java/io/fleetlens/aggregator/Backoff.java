package io.fleetlens.aggregator;

import java.util.concurrent.ThreadLocalRandom;

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
}
