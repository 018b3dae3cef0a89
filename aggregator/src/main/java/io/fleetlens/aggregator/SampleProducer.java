package io.fleetlens.aggregator;

import java.nio.charset.StandardCharsets;
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

import io.fleetlens.core.metrics.Sample;
import io.fleetlens.transport.kafka.Producers;
import io.fleetlens.core.metrics.MetadataOnce;
import io.fleetlens.core.metrics.MetricMetadata;
import io.fleetlens.transport.kafka.SampleCodec;

/**
 * Puts samples that enter through the aggregator (remote_write, federation) on the metrics topic,
 * keyed by cluster and series as the collectors key theirs, and waits until Kafka holds them all.
 */
public final class SampleProducer implements AutoCloseable {

  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final SampleCodec codec = new SampleCodec();
  private final MetadataOnce described = new MetadataOnce(3_600_000);

  public SampleProducer(String bootstrapServers, String topic, String clientId) {
    this.topic = topic;
    this.producer = Producers.reliable(bootstrapServers, clientId,
        Map.of(ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000, ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000));
  }

  /** Returns once Kafka acknowledged every sample; throws when it did not. */
  public void sendAndWait(List<Sample> samples) throws InterruptedException, ExecutionException, TimeoutException {
    List<Future<RecordMetadata>> sent = new ArrayList<>(samples.size());
    for (Sample sample : samples) {
      String cluster = sample.labels().getOrDefault("cluster", "");
      byte[] key = (cluster + "/" + sample.seriesKey()).getBytes(StandardCharsets.UTF_8);
      sent.add(producer.send(new ProducerRecord<>(topic, key, codec.encode(sample))));
    }
    producer.flush();
    for (Future<RecordMetadata> f : sent) {
      f.get(30, TimeUnit.SECONDS);
    }
  }

  /** Puts the descriptions not sent in the last hour on the topic; returns once Kafka has them. */
  public void describeAndWait(String cluster, List<MetricMetadata> metadata)
      throws InterruptedException, ExecutionException, TimeoutException {
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    long now = System.currentTimeMillis();
    for (MetricMetadata m : metadata) {
      if (described.due(m, now)) {
        sent.add(producer.send(new ProducerRecord<>(topic, SampleCodec.metadataKey(cluster, m), codec.encode(m))));
      }
    }
    if (!sent.isEmpty()) {
      producer.flush();
      for (Future<RecordMetadata> f : sent) {
        f.get(30, TimeUnit.SECONDS);
      }
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
