package io.fleetlens.alerting.notify;

/**
 * When a failed notification is tried again: after {@code initialMs}, doubling each time up to
 * {@code maxMs}; after {@code maxAttempts} attempts it is recorded as failed.
 */
public record RetryPolicy(long initialMs, long maxMs, int maxAttempts) {

  public long delayAfter(int attempts) {
    long delay = initialMs;
    for (int i = 1; i < attempts && delay < maxMs; i++) {
      delay *= 2;
    }
    return Math.min(delay, maxMs);
  }
}
