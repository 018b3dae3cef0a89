package io.fleetlens.collector;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.fleetlens.core.metrics.MetadataOnce;
import io.fleetlens.core.metrics.MetricMetadata;
import io.fleetlens.core.metrics.Sample;
import io.fleetlens.core.metrics.SampleSink;
import io.fleetlens.core.metrics.SeriesSamples;
import io.fleetlens.transport.kafka.KafkaCluster;
import io.fleetlens.transport.kafka.Producers;
import io.fleetlens.transport.kafka.SampleCodec;
import io.fleetlens.transport.kafka.SampleRecords;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Sends scraped samples to the metrics topic as version 2 batches, each series on the partition its
 * cluster and labels pick ({@link SampleRecords}) so a series stays in order.
 */
final class KafkaSampleShipper implements SampleSink, AutoCloseable {

  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final String cluster;
  private final SampleCodec codec = new SampleCodec();
  private final MetadataOnce described = new MetadataOnce(3_600_000);
  private final Counter sent;
  private final Counter failed;

  KafkaSampleShipper(KafkaCluster kafka, String topic, String cluster, String clientId, MeterRegistry registry) {
    this.topic = topic;
    this.cluster = cluster;
    this.producer = Producers.reliable(kafka, clientId, Map.of(ProducerConfig.LINGER_MS_CONFIG, 50));
    this.sent = Counter.builder("fleetlens.collector.samples.sent").description("Samples sent to Kafka")
        .register(registry);
    this.failed = Counter.builder("fleetlens.collector.samples.failed")
        .description("Samples Kafka did not take (metrics are not spooled)").register(registry);
  }

  @Override
  public void accept(List<Sample> samples) {
    List<SampleRecords.Batch> records;
    try {
      records = SampleRecords.of(topic, producer.partitionsFor(topic).size(), SeriesSamples.of(samples), s -> cluster);
    } catch (RuntimeException e) {
      failed.increment(samples.size());
      return;
    }
    for (SampleRecords.Batch batch : records) {
      int count = batch.samples();
      try {
        producer.send(batch.record(), (metadata, failure) -> {
          if (failure == null) {
            sent.increment(count);
          } else {
            failed.increment(count);
          }
        });
      } catch (RuntimeException e) {
        failed.increment(count);
      }
    }
  }

  /** Sends each description once an hour at most: exporters repeat theirs at every scrape. */
  @Override
  public void describe(List<MetricMetadata> metadata) {
    long now = System.currentTimeMillis();
    for (MetricMetadata m : metadata) {
      if (described.due(m, now)) {
        try {
          producer.send(new ProducerRecord<>(topic, SampleCodec.metadataKey(cluster, m), codec.encode(m)));
        } catch (RuntimeException e) {
          failed.increment();
        }
      }
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
