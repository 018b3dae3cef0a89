package io.fleetlens.testkit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import io.fleetlens.core.logs.LogRecord;
import io.fleetlens.transport.kafka.LogRecordCodec;

/** Reads back what the collector put on a topic, as the aggregator would. */
public final class LogTopicReader implements AutoCloseable {

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final LogRecordCodec codec = new LogRecordCodec();
  private final List<LogRecord> records = new ArrayList<>();
  private final NumberedLines lines = new NumberedLines();

  public LogTopicReader(String bootstrapServers, String topic) {
    consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.GROUP_ID_CONFIG, "reader-" + topic + "-" + System.nanoTime(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of(topic));
  }

  /** Reads until {@code done} holds or the time is up; returns whether it holds. */
  public boolean readUntil(java.util.function.Predicate<NumberedLines> done, Duration patience) throws Exception {
    Instant deadline = Instant.now().plus(patience);
    while (!done.test(lines) && Instant.now().isBefore(deadline)) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
        LogRecord decoded = codec.decode(record.value());
        records.add(decoded);
        lines.add(decoded);
      }
    }
    return done.test(lines);
  }

  public List<LogRecord> records() {
    return records;
  }

  public NumberedLines lines() {
    return lines;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
