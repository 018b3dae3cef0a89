package io.fleetlens.aggregator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fleetlens.transport.kafka.DeadLetterHeaders;
import io.fleetlens.transport.kafka.KafkaCluster;
import io.fleetlens.transport.kafka.Producers;

/**
 * Publishes records that can never be indexed to the dead-letter topic: the original key and value,
 * with the reason and the source topic, partition and offset as headers.
 */
final class DeadLetters implements DeadLetterSink, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final AggregatorMetrics metrics;
  private final List<Future<RecordMetadata>> pending = new ArrayList<>();

  DeadLetters(KafkaCluster cluster, String topic, AggregatorMetrics metrics) {
    this.topic = topic;
    this.metrics = metrics;
    this.producer = Producers.reliable(cluster, "fleetlens-aggregator-dead-letters-" + System.nanoTime(),
        Map.of());
  }

  @Override
  public void send(ConsumerRecord<byte[], byte[]> source, String reason, String detail) {
    LOG.warn("dead letter ({}): {}-{} offset {}: {}", reason, source.topic(), source.partition(), source.offset(), detail);
    metrics.deadLetters(reason).increment();
    ProducerRecord<byte[], byte[]> letter = new ProducerRecord<>(topic, source.key(), source.value());
    letter.headers()
        .add(DeadLetterHeaders.REASON, (reason + ": " + detail).getBytes(StandardCharsets.UTF_8))
        .add(DeadLetterHeaders.SOURCE_TOPIC, source.topic().getBytes(StandardCharsets.UTF_8))
        .add(DeadLetterHeaders.SOURCE_PARTITION, Integer.toString(source.partition()).getBytes(StandardCharsets.UTF_8))
        .add(DeadLetterHeaders.SOURCE_OFFSET, Long.toString(source.offset()).getBytes(StandardCharsets.UTF_8));
    pending.add(producer.send(letter));
  }

  /** Waits until Kafka holds every letter sent so far, so the source offsets may be committed. */
  void flush() throws InterruptedException, ExecutionException {
    for (Future<RecordMetadata> future : pending) {
      future.get();
    }
    pending.clear();
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
