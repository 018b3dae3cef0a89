package io.fleetlens.aggregator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;

/**
 * Consumes one topic as a member of an aggregator consumer group and hands each batch to its
 * handler. Offsets are committed only after the batch they end is stored (or dead-lettered), so a
 * crash replays and never skips; the replay is harmless because stored documents are keyed by
 * what they are (a log line's origin, a sample's series and time).
 */
final class TopicIndexer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TopicIndexer.class);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String topic;
  private final BatchHandler handler;
  private final DeadLetters deadLetters;
  private final KafkaClientMetrics consumerMetrics;
  private final Thread thread;
  private final java.util.concurrent.atomic.AtomicLong lag = new java.util.concurrent.atomic.AtomicLong();
  /** Offsets of batches stored but not committed yet (a commit refused during a rebalance), by partition. */
  private final Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();
  /** Offsets after the batches the handler holds in memory, by partition: committed once it flushed them. */
  private final Map<TopicPartition, OffsetAndMetadata> held = new HashMap<>();
  /** The first offset the handler holds of each partition: where to read again if it drops what it holds. */
  private final Map<TopicPartition, Long> heldFrom = new HashMap<>();
  private volatile boolean running;

  TopicIndexer(AggregatorConfig.Kafka kafka, String topic, String groupId,
      Function<BooleanSupplier, BatchHandler> handlers, DeadLetters deadLetters, MeterRegistry registry,
      String threadName) {
    this.topic = topic;
    this.deadLetters = deadLetters;
    this.thread = new Thread(this::run, threadName);
    this.consumer = new KafkaConsumer<>(kafka.cluster().config(Map.of(
        ConsumerConfig.GROUP_ID_CONFIG, groupId,
        ConsumerConfig.CLIENT_ID_CONFIG, threadName + "-" + ProcessHandle.current().pid(),
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, kafka.maxPollRecords(),
        ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, kafka.maxPollIntervalMs(),
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName())),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.handler = handlers.apply(() -> running);
    this.consumerMetrics = new KafkaClientMetrics(consumer);
    consumerMetrics.bindTo(registry);
    io.micrometer.core.instrument.Gauge.builder("fleetlens.aggregator.consumer.lag", lag, java.util.concurrent.atomic.AtomicLong::get)
        .tag("topic", topic).tag("member", threadName).baseUnit("records")
        .description("Records on this member's partitions not read yet; summed over every member, the group's lag")
        .register(registry);
  }

  void start() {
    running = true;
    thread.start();
  }

  boolean isRunning() {
    return thread.isAlive();
  }

  private void run() {
    consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
      @Override
      public void onPartitionsRevoked(java.util.Collection<TopicPartition> revoked) {
        // called inside poll, between batches: what this member holds is stored and committed before its
        // partitions move
        try {
          if (revoked.stream().anyMatch(held::containsKey)) {
            flushHeld(true);
          }
          commit(revoked);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          dropHeld();
        } finally {
          uncommitted.keySet().removeAll(revoked);
        }
      }

      @Override
      public void onPartitionsAssigned(java.util.Collection<TopicPartition> assigned) {
        uncommitted.keySet().removeAll(assigned); // never commit an old offset over a newer owner's
      }

      @Override
      public void onPartitionsLost(java.util.Collection<TopicPartition> lost) {
        uncommitted.keySet().removeAll(lost); // another member has them; it reads the batch again and finds it stored
        if (lost.stream().anyMatch(held::containsKey)) {
          dropHeld(); // what is held of the lost partitions is no longer this member's to store
        }
      }
    });
    try {
      while (running) {
        pollOnce();
      }
    } catch (WakeupException | InterruptedException stopping) {
      // close() asked us to stop
    } finally {
      try {
        if (!held.isEmpty() && !Thread.currentThread().isInterrupted()) {
          flushHeld(true); // one try: what is not stored now is read again by the next owner
        }
      } catch (RuntimeException | InterruptedException e) {
        LOG.warn("held records of {} not stored at shutdown; they will be read again: {}", topic, e.getMessage());
      }
      consumer.close(Duration.ofSeconds(10));
    }
  }

  /** One poll and its batch; a failure is logged and the loop goes on, so the member stays in its group. */
  private void pollOnce() throws InterruptedException {
    try {
      ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
      lag.set(currentLag());
      if (!records.isEmpty()) {
        process(records);
      } else if (!held.isEmpty()) {
        if (handler.flushDue(true)) {
          flushHeld(false); // nothing more to read for now: store what is held, so it is searchable
        }
      } else if (!uncommitted.isEmpty()) {
        commit(consumer.assignment());
      }
    } catch (WakeupException e) {
      throw e;
    } catch (RuntimeException e) {
      LOG.error("indexer of {} failed a step; carrying on", topic, e);
      Thread.sleep(1_000);
    }
  }

  private void process(ConsumerRecords<byte[], byte[]> records) throws InterruptedException {
    List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>(records.count());
    records.forEach(batch::add);
    try {
      if (!handler.handle(batch)) {
        return;
      }
    } catch (RuntimeException e) {
      LOG.error("batch of {} records failed unexpectedly; it will be read again", batch.size(), e);
      rewind(batch);
      Thread.sleep(1_000);
      return;
    }
    try {
      deadLetters.flush();
    } catch (java.util.concurrent.ExecutionException e) {
      LOG.error("dead letters not stored; the batch will be read again", e);
      rewind(batch);
      return;
    }
    if (handler.holds() || !held.isEmpty()) {
      nextOffsets(batch).forEach((partition, next) -> held.merge(partition, next,
          (a, b) -> a.offset() >= b.offset() ? a : b));
      for (ConsumerRecord<byte[], byte[]> record : batch) {
        heldFrom.merge(new TopicPartition(record.topic(), record.partition()), record.offset(), Math::min);
      }
      if (handler.flushDue(false)) {
        flushHeld(false);
      }
      return;
    }
    nextOffsets(batch).forEach((partition, next) -> uncommitted.merge(partition, next,
        (a, b) -> a.offset() >= b.offset() ? a : b));
    commit(consumer.assignment());
  }

  /**
   * Has the handler store what it holds, then commits those offsets. When the handler is stopped
   * first, nothing held is committed; {@code orDrop} then drops it (partitions are moving away).
   */
  private void flushHeld(boolean orDrop) throws InterruptedException {
    if (handler.flush()) {
      held.forEach((partition, next) -> uncommitted.merge(partition, next, (a, b) -> a.offset() >= b.offset() ? a : b));
      held.clear();
      heldFrom.clear();
      commit(consumer.assignment());
    } else if (orDrop) {
      dropHeld();
    }
  }

  /** Drops what the handler holds and reads it again from the partitions still assigned. */
  private void dropHeld() {
    handler.discard();
    heldFrom.forEach((partition, offset) -> {
      if (consumer.assignment().contains(partition)) {
        consumer.seek(partition, offset);
      }
    });
    held.clear();
    heldFrom.clear();
  }

  /**
   * Commits the stored batches' offsets of {@code partitions}. A commit refused during a rebalance
   * is tried again at the next poll, and before the partition is handed over; if it never goes
   * through, the next owner reads the batch again and finds it stored.
   */
  private void commit(java.util.Collection<TopicPartition> partitions) {
    Map<TopicPartition, OffsetAndMetadata> due = new HashMap<>();
    for (TopicPartition partition : partitions) {
      OffsetAndMetadata offset = uncommitted.get(partition);
      if (offset != null) {
        due.put(partition, offset);
      }
    }
    if (due.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(due);
      due.forEach((partition, offset) -> uncommitted.remove(partition, offset));
    } catch (CommitFailedException | RebalanceInProgressException e) {
      LOG.info("offsets of {} partitions not committed during a rebalance; trying again: {}", due.size(),
          e.getMessage());
    }
  }

  /** The records between this member's positions and the ends of its partitions, as the last fetches saw them. */
  private long currentLag() {
    long total = 0;
    for (TopicPartition partition : consumer.assignment()) {
      java.util.OptionalLong behind = consumer.currentLag(partition);
      if (behind.isPresent()) {
        total += behind.getAsLong();
      }
    }
    return total;
  }

  /** Moves each partition back to the batch's first record, so the next poll reads it again. */
  private void rewind(List<ConsumerRecord<byte[], byte[]>> batch) {
    Map<TopicPartition, Long> first = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : batch) {
      first.merge(new TopicPartition(record.topic(), record.partition()), record.offset(), Math::min);
    }
    first.forEach((partition, offset) -> {
      if (consumer.assignment().contains(partition)) {
        consumer.seek(partition, offset);
      }
    });
  }

  private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(List<ConsumerRecord<byte[], byte[]>> batch) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : batch) {
      offsets.merge(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1),
          (a, b) -> a.offset() >= b.offset() ? a : b);
    }
    return offsets;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(30_000);
    consumerMetrics.close();
  }
}
