package io.fleetlens.aggregator;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fleetlens.core.logs.StoreUnavailableException;
import io.fleetlens.core.logs.WriteOutcome;
import io.fleetlens.core.metrics.Sample;
import io.fleetlens.storage.elasticsearch.metrics.ElasticsearchSampleWriter;
import io.fleetlens.transport.kafka.MalformedRecordException;
import io.fleetlens.transport.kafka.SampleCodec;

/**
 * Handles one batch of the metrics topic: decodes the samples and writes them until each is stored
 * or known unstorable (dead letters), waiting out an unreachable Elasticsearch with backoff.
 */
final class SampleBatchHandler implements BatchHandler {

  private static final Logger LOG = LoggerFactory.getLogger(SampleBatchHandler.class);

  private final SampleCodec codec = new SampleCodec();
  private final ElasticsearchSampleWriter writer;
  private final DeadLetterSink deadLetters;
  private final AggregatorMetrics metrics;
  private final Backoff backoff;
  private final BooleanSupplier running;

  private record Pending(ConsumerRecord<byte[], byte[]> source, Sample sample) {
  }

  SampleBatchHandler(ElasticsearchSampleWriter writer, DeadLetterSink deadLetters, AggregatorMetrics metrics,
      Backoff backoff, BooleanSupplier running) {
    this.writer = writer;
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
        pending.add(new Pending(record, codec.decode(record.value())));
      } catch (MalformedRecordException e) {
        deadLetters.send(record, DeadLetterSink.MALFORMED, e.getMessage());
      }
    }
    return backoff.retryUntilEmpty(pending, running, this::writeOnce);
  }

  private List<Pending> writeOnce(List<Pending> pending) {
    List<WriteOutcome> outcomes;
    try {
      outcomes = writer.write(pending.stream().map(Pending::sample).toList());
    } catch (StoreUnavailableException e) {
      metrics.unavailable.increment();
      LOG.warn("Elasticsearch unavailable, retrying {} samples: {}", pending.size(), e.getMessage());
      return pending;
    }
    List<Pending> again = new ArrayList<>();
    for (int i = 0; i < pending.size(); i++) {
      switch (outcomes.get(i)) {
        case WriteOutcome.Written w -> metrics.samplesStored.increment();
        case WriteOutcome.AlreadyPresent p -> metrics.samplesDuplicate.increment();
        case WriteOutcome.Retry r -> again.add(pending.get(i));
        case WriteOutcome.Rejected r -> deadLetters.send(pending.get(i).source(), DeadLetterSink.REJECTED, r.reason());
      }
    }
    return again;
  }
}
