package io.fleetlens.aggregator;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fleetlens.core.logs.StoreUnavailableException;
import io.fleetlens.core.logs.WriteOutcome;
import io.fleetlens.core.metrics.MetricMetadata;
import io.fleetlens.core.metrics.MetricRecord;
import io.fleetlens.core.metrics.Sample;
import io.fleetlens.storage.elasticsearch.metrics.ElasticsearchMetadataStore;
import io.fleetlens.storage.elasticsearch.metrics.ElasticsearchSampleWriter;
import io.fleetlens.transport.kafka.MalformedRecordException;
import io.fleetlens.transport.kafka.SampleCodec;

/**
 * Handles one batch of the metrics topic: decodes the samples and metric descriptions and writes
 * them until each is stored
 * or known unstorable (dead letters), waiting out an unreachable Elasticsearch with backoff.
 */
final class SampleBatchHandler implements BatchHandler {

  private static final Logger LOG = LoggerFactory.getLogger(SampleBatchHandler.class);

  private final SampleCodec codec = new SampleCodec();
  private final ElasticsearchSampleWriter writer;
  private final ElasticsearchMetadataStore metadata;
  private final DeadLetterSink deadLetters;
  private final AggregatorMetrics metrics;
  private final Backoff backoff;
  private final BooleanSupplier running;

  private record Pending(ConsumerRecord<byte[], byte[]> source, MetricRecord record) {
  }

  SampleBatchHandler(ElasticsearchSampleWriter writer, ElasticsearchMetadataStore metadata, DeadLetterSink deadLetters,
      AggregatorMetrics metrics, Backoff backoff, BooleanSupplier running) {
    this.writer = writer;
    this.metadata = metadata;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
    this.backoff = backoff;
    this.running = running;
  }

  @Override
  public boolean handle(List<ConsumerRecord<byte[], byte[]>> batch) throws InterruptedException {
    List<Pending> pending = new ArrayList<>(batch.size());
    for (ConsumerRecord<byte[], byte[]> record : batch) {
      try {
        pending.add(new Pending(record, codec.decodeRecord(record.value())));
      } catch (MalformedRecordException e) {
        deadLetters.send(record, DeadLetterSink.MALFORMED, e.getMessage());
      }
    }
    return backoff.retryUntilEmpty(pending, running, this::writeOnce);
  }

  private List<Pending> writeOnce(List<Pending> pending) {
    List<Pending> samples = pending.stream().filter(p -> p.record() instanceof Sample).toList();
    List<Pending> descriptions = pending.stream().filter(p -> p.record() instanceof MetricMetadata).toList();
    List<WriteOutcome> sampleOutcomes;
    List<WriteOutcome> metadataOutcomes;
    try {
      sampleOutcomes = writer.write(samples.stream().map(p -> (Sample) p.record()).toList());
      metadataOutcomes = metadata.write(descriptions.stream().map(p -> (MetricMetadata) p.record()).toList());
    } catch (StoreUnavailableException e) {
      metrics.unavailable.increment();
      LOG.warn("Elasticsearch unavailable, retrying {} samples: {}", pending.size(), e.getMessage());
      return pending; // samples written again are duplicates, counted as such
    }
    List<Pending> again = new ArrayList<>();
    for (int i = 0; i < samples.size(); i++) {
      switch (sampleOutcomes.get(i)) {
        case WriteOutcome.Written w -> metrics.samplesStored.increment();
        case WriteOutcome.AlreadyPresent p -> metrics.samplesDuplicate.increment();
        case WriteOutcome.Retry r -> again.add(samples.get(i));
        case WriteOutcome.Rejected r -> deadLetters.send(samples.get(i).source(), DeadLetterSink.REJECTED, r.reason());
      }
    }
    for (int i = 0; i < descriptions.size(); i++) {
      switch (metadataOutcomes.get(i)) {
        case WriteOutcome.Written w -> metrics.metadataStored.increment();
        case WriteOutcome.AlreadyPresent p -> metrics.metadataStored.increment();
        case WriteOutcome.Retry r -> again.add(descriptions.get(i));
        case WriteOutcome.Rejected r -> deadLetters.send(descriptions.get(i).source(), DeadLetterSink.REJECTED,
            r.reason());
      }
    }
    return again;
  }
}
