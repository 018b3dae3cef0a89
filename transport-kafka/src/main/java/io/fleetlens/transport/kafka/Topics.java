package io.fleetlens.transport.kafka;

/**
 * Names of the Kafka topics the apps share, the one place they are written: the apps' defaults
 * leave their topic keys empty, which means these (each can be set in the apps' configuration).
 */
public final class Topics {

  /** Log records from collectors, keyed by {@code LogRecord.orderingKey()}. */
  public static final String LOGS = "fleetlens.logs";

  /** Log records the aggregator could never index, with the reason in headers ({@link DeadLetterHeaders}). */
  public static final String LOGS_DEAD_LETTER = "fleetlens.logs.dead-letter";

  /** Samples from collectors (scrapes) and the aggregator (remote_write, federation), keyed by {@link SampleCodec#key}. */
  public static final String METRICS = "fleetlens.metrics";

  /** Metric records the aggregator could never store, with the reason in headers. */
  public static final String METRICS_DEAD_LETTER = "fleetlens.metrics.dead-letter";

  private Topics() {
  }

  /** {@code configured}, or {@code fallback} when it is null or empty. */
  public static String or(String configured, String fallback) {
    return configured == null || configured.isEmpty() ? fallback : configured;
  }
}
