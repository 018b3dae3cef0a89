package io.fleetlens.collector;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.fleetlens.core.logs.LogRecord;
import io.fleetlens.transport.kafka.LogRecordCodec;

/** Sends log records to the logs topic, keyed so one container's records stay in order. */
final class KafkaLogShipper implements AutoCloseable {

  /** Told once per record: null when Kafka acknowledged it, else why it did not. */
  @FunctionalInterface
  interface Outcome {
    void done(Exception failure);
  }

  private final KafkaProducer<String, byte[]> producer;
  private final Admin admin;
  private final String topic;
  private final LogRecordCodec codec = new LogRecordCodec();

  KafkaLogShipper(String bootstrapServers, String topic, String clientId) {
    this.topic = topic;
    this.producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ProducerConfig.CLIENT_ID_CONFIG, clientId,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
        ProducerConfig.LINGER_MS_CONFIG, 20,
        ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
        ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000),
        new StringSerializer(), new ByteArraySerializer());
    this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        AdminClientConfig.CLIENT_ID_CONFIG, clientId + "-health",
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000));
  }

  void send(LogRecord record, Outcome outcome) {
    try {
      producer.send(new ProducerRecord<>(topic, record.orderingKey(), codec.encode(record)),
          (metadata, failure) -> outcome.done(failure));
    } catch (RuntimeException failure) {
      outcome.done(failure);
    }
  }

  boolean kafkaReachable() {
    try {
      admin.describeCluster(new DescribeClusterOptions().timeoutMs(2_000)).nodes().get(3, TimeUnit.SECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(30));
    admin.close(Duration.ofSeconds(5));
  }
}
