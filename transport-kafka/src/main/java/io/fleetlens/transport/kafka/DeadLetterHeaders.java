package io.fleetlens.transport.kafka;

/** The headers of a dead letter: why its record was refused, and where the record came from. */
public final class DeadLetterHeaders {

  /** {@code <reason>: <detail>}, the reason as in {@code fleetlens_aggregator_dead_letters_total{reason}}. */
  public static final String REASON = "fleetlens.error.reason";
  public static final String SOURCE_TOPIC = "fleetlens.source.topic";
  public static final String SOURCE_PARTITION = "fleetlens.source.partition";
  public static final String SOURCE_OFFSET = "fleetlens.source.offset";

  private DeadLetterHeaders() {
  }
}
