package io.fleetlens.aggregator;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Stores the batches of a topic's records. A handler may hold what it handled in memory and store
 * it later ({@link #flush}); the offsets of what it holds are committed only after that.
 */
interface BatchHandler {

  /**
   * Returns true when every record of the batch was dealt with (stored, held or dead-lettered),
   * false when the handler was stopped before (then none of the batch may be committed).
   */
  boolean handle(List<ConsumerRecord<byte[], byte[]>> batch) throws InterruptedException;

  /** Whether records handled are held, not stored yet. */
  default boolean holds() {
    return false;
  }

  /**
   * Whether it is time to store what is held; {@code idle}: nothing more is there to read for now
   * (then sooner, so what was read becomes searchable).
   */
  default boolean flushDue(boolean idle) {
    return false;
  }

  /** Stores what is held; false when stopped first (then nothing held may be committed). */
  default boolean flush() throws InterruptedException {
    return true;
  }

  /** Forgets what is held: its records are read again. */
  default void discard() {
  }
}
