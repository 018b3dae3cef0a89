package io.fleetlens.transport.kafka;

/** Names of the Kafka topics the apps share; each can be overridden in the apps' configuration. */
public final class Topics {

  /** Log records from collectors, keyed by {@code LogRecord.orderingKey()}. */
  public static final String LOGS = "fleetlens.logs";

  /** Records the aggregator could never index, with the reason in headers. */
  public static final String LOGS_DEAD_LETTER = "fleetlens.logs.dead-letter";

  /** Samples scraped by collectors, keyed by cluster and series. */
  public static final String METRICS = "fleetlens.metrics";

  private Topics() {
  }
}
