package io.fleetlens.aggregator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import io.fleetlens.core.metrics.SeriesSamples;
import io.fleetlens.transport.kafka.KafkaCluster;
import io.fleetlens.transport.kafka.Producers;
import io.fleetlens.core.metrics.MetadataOnce;
import io.fleetlens.core.metrics.MetricMetadata;
import io.fleetlens.transport.kafka.SampleCodec;
import io.fleetlens.transport.kafka.SampleRecords;

/**
 * Puts samples that enter through the aggregator (remote_write, federation) on the metrics topic,
 * each series on the partition the collectors put it on ({@link SampleRecords}), and waits until
 * Kafka holds them all.
 */
public final class SampleProducer implements AutoCloseable {

  private final java.util.function.Supplier<KafkaProducer<byte[], byte[]>> producers;
  private volatile KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final SampleCodec codec = new SampleCodec();
  private final MetadataOnce described = new MetadataOnce(3_600_000);

  public SampleProducer(String bootstrapServers, String topic, String clientId) {
    this(KafkaCluster.plain(bootstrapServers), topic, clientId);
  }

  public SampleProducer(KafkaCluster cluster, String topic, String clientId) {
    this.topic = topic;
    this.producers = () -> Producers.reliable(cluster, clientId,
        Map.of(ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000, ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000));
    this.producer = producers.get();
  }

  /**
   * Replaces the producer after a failed send: an idempotent producer whose sequence numbers Kafka
   * refused (out of order) stays refused, so the next request starts with a new one. What the failed
   * request had sent may be stored already; its sender retries, and repeats are stored once.
   */
  private synchronized void renew(KafkaProducer<byte[], byte[]> failed) {
    if (producer == failed) {
      producer = producers.get();
      failed.close(Duration.ZERO);
    }
  }

  /**
   * Returns once Kafka acknowledged every sample; throws when it did not. The series' {@code cluster}
   * label names the cluster they are sent for.
   */
  public void sendAndWait(List<SeriesSamples> series) throws InterruptedException, ExecutionException,
      TimeoutException {
    KafkaProducer<byte[], byte[]> current = producer;
    try {
      List<SampleRecords.Batch> records = SampleRecords.of(topic, current.partitionsFor(topic).size(),
          series, s -> s.labels().getOrDefault("cluster", ""));
      List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
      for (SampleRecords.Batch batch : records) {
        sent.add(current.send(batch.record()));
      }
      awaitAll(current, sent);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      renew(current);
      throw e;
    }
  }

  private static void awaitAll(KafkaProducer<byte[], byte[]> producer, List<Future<RecordMetadata>> sent)
      throws InterruptedException, ExecutionException, TimeoutException {
    producer.flush();
    for (Future<RecordMetadata> f : sent) {
      f.get(30, TimeUnit.SECONDS);
    }
  }

  /** Puts the descriptions not sent in the last hour on the topic; returns once Kafka has them. */
  public void describeAndWait(String cluster, List<MetricMetadata> metadata)
      throws InterruptedException, ExecutionException, TimeoutException {
    KafkaProducer<byte[], byte[]> current = producer;
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    long now = System.currentTimeMillis();
    try {
      for (MetricMetadata m : metadata) {
        if (described.due(m, now)) {
          sent.add(current.send(new ProducerRecord<>(topic, SampleCodec.metadataKey(cluster, m), codec.encode(m))));
        }
      }
      if (!sent.isEmpty()) {
        awaitAll(current, sent);
      }
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      renew(current);
      throw e;
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
