package io.fleetlens.aggregator;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Stores one batch of a topic's records. */
interface BatchHandler {

  /**
   * Returns true when every record of the batch was dealt with (stored or dead-lettered), false
   * when the handler was stopped before (then none of the batch may be committed).
   */
  boolean handle(List<ConsumerRecord<byte[], byte[]>> batch) throws InterruptedException;
}
