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
import io.fleetlens.core.metrics.Labels;
import io.fleetlens.core.metrics.SeriesSamples;
import io.fleetlens.storage.elasticsearch.metrics.ElasticsearchChunkWriter;
import io.fleetlens.storage.elasticsearch.metrics.ElasticsearchMetadataStore;
import io.fleetlens.storage.elasticsearch.metrics.HeadChunk;
import io.fleetlens.storage.elasticsearch.metrics.MetricIndexLayout;
import io.fleetlens.storage.elasticsearch.metrics.ElasticsearchSampleWriter;
import io.fleetlens.transport.kafka.MalformedRecordException;
import io.fleetlens.transport.kafka.SampleBatchCodec;
import io.fleetlens.transport.kafka.SampleCodec;
import io.fleetlens.transport.kafka.SeriesLabelBytes;

/**
 * Handles the batches of the metrics topic: decodes samples and metric descriptions; holds each
 * sample of a live window (one not over by more than the compaction grace) in its series' head
 * ({@link SeriesHeads}) until {@link #flush} stores the heads as chunk documents; writes at once
 * what has no head to go to (late samples: of a window over, or older than its series' head
 * window; descriptions) as documents the compactor packs later, until each is stored or known
 * unstorable (dead letters), waiting out an unreachable Elasticsearch with backoff. A new series past the active-series limit (or while the heap is nearly full) is refused:
 * dead-lettered, counted and logged.
 */
final class SampleBatchHandler implements BatchHandler {

  private static final Logger LOG = LoggerFactory.getLogger(SampleBatchHandler.class);

  private static final long IDLE_FLUSH_NANOS = 1_000_000_000L;

  private final SampleCodec codec = new SampleCodec();
  private final ElasticsearchSampleWriter writer;
  private final ElasticsearchChunkWriter chunks;
  private final ElasticsearchMetadataStore metadata;
  private final DeadLetterSink deadLetters;
  private final AggregatorMetrics metrics;
  private final Backoff backoff;
  private final BooleanSupplier running;
  private final SeriesHeads heads;
  private final long flushIntervalNanos;
  private final long liveGraceMs;
  private long lastFlushNanos = System.nanoTime();
  private long lastRefusalLogNanos = Long.MIN_VALUE / 2;
  private long refusedSinceLog;

  /**
   * A sample or description to write now, and the record it came in; {@code batched}: that record is a
   * version 2 batch, so its dead letter holds only this sample.
   */
  private record Pending(ConsumerRecord<byte[], byte[]> source, MetricRecord record, boolean batched) {

    Pending(ConsumerRecord<byte[], byte[]> source, MetricRecord record) {
      this(source, record, false);
    }

    ConsumerRecord<byte[], byte[]> deadLetter() {
      return batched && record instanceof Sample sample
          ? part(source, SeriesSamples.of(List.of(sample)))
          : source;
    }
  }

  /** A record like {@code source} (topic, partition, offset, key) holding only {@code series}. */
  private static ConsumerRecord<byte[], byte[]> part(ConsumerRecord<byte[], byte[]> source,
      List<SeriesSamples> series) {
    return new ConsumerRecord<>(source.topic(), source.partition(), source.offset(), source.key(),
        SampleBatchCodec.encode(series));
  }

  SampleBatchHandler(ElasticsearchSampleWriter writer, ElasticsearchChunkWriter chunks,
      ElasticsearchMetadataStore metadata, DeadLetterSink deadLetters, AggregatorMetrics metrics, Backoff backoff,
      BooleanSupplier running, SeriesHeads heads, long flushIntervalMs, long liveGraceMs) {
    this.writer = writer;
    this.chunks = chunks;
    this.metadata = metadata;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
    this.backoff = backoff;
    this.running = running;
    this.heads = heads;
    this.flushIntervalNanos = flushIntervalMs * 1_000_000L;
    this.liveGraceMs = liveGraceMs;
  }

  @Override
  public boolean handle(List<ConsumerRecord<byte[], byte[]>> batch) throws InterruptedException {
    List<Pending> now = new ArrayList<>();
    long nanos = System.nanoTime();
    // windows over longer than the compaction grace take samples as documents, compacted later: late samples
    long liveFrom = MetricIndexLayout.windowStart(System.currentTimeMillis() - liveGraceMs);
    for (ConsumerRecord<byte[], byte[]> record : batch) {
      if (SampleBatchCodec.isBatch(record.value())) {
        try {
          readBatch(record, liveFrom, nanos, now);
        } catch (MalformedRecordException e) {
          // the series before the fault are held or stored; the record goes to the dead letters whole
          deadLetters.send(record, DeadLetterSink.MALFORMED, e.getMessage());
        }
        continue;
      }
      MetricRecord decoded;
      try {
        decoded = codec.decodeRecord(record.value());
      } catch (MalformedRecordException e) {
        deadLetters.send(record, DeadLetterSink.MALFORMED, e.getMessage());
        continue;
      }
      if (decoded instanceof Sample sample && sample.timestampMillis() >= liveFrom) {
        Labels labels = ElasticsearchSampleWriter.labelsOf(sample);
        switch (heads.add(SampleBatchCodec.labelBytes(labels), labels, sample.timestampMillis(), sample.value(),
            nanos)) {
          case HELD -> { }
          case DUPLICATE -> metrics.samplesDuplicate.increment();
          case LATE -> now.add(new Pending(record, sample));
          case REFUSED -> refuse(record, sample.seriesKey(), 1);
        }
      } else {
        now.add(new Pending(record, decoded));
      }
    }
    return backoff.retryUntilEmpty(now, running, this::writeOnce);
  }

  @Override
  public boolean holds() {
    return !heads.allStored();
  }

  @Override
  public boolean flushDue(boolean idle) {
    // idle: soon, but not after every trickle of samples (each flush rewrites the heads' documents)
    long interval = idle ? Math.min(flushIntervalNanos, IDLE_FLUSH_NANOS) : flushIntervalNanos;
    return System.nanoTime() - lastFlushNanos >= interval;
  }

  @Override
  public boolean flush() throws InterruptedException {
    lastFlushNanos = System.nanoTime();
    List<HeadChunk> left = writeChunks(heads.unstored()); // tried once even when stopping
    boolean done = left.isEmpty() || backoff.retryUntilEmpty(left, running, this::writeChunks);
    heads.afterWrite(System.nanoTime());
    return done;
  }

  @Override
  public void discard() {
    heads.clear();
  }

  private List<HeadChunk> writeChunks(List<HeadChunk> due) {
    long t0 = System.nanoTime();
    try {
      ElasticsearchChunkWriter.Outcome outcome = chunks.write(due);
      metrics.samplesStored.increment(outcome.stored());
      metrics.samplesDuplicate.increment(outcome.duplicate());
      metrics.chunkWrites.record(System.nanoTime() - t0, java.util.concurrent.TimeUnit.NANOSECONDS);
      if (!outcome.left().isEmpty()) {
        LOG.warn("{} of {} head chunks not stored, retrying: {}", outcome.left().size(), due.size(), outcome.reason());
      }
      return outcome.left();
    } catch (StoreUnavailableException e) {
      metrics.unavailable.increment();
      LOG.warn("Elasticsearch unavailable, retrying {} head chunks: {}", due.size(), e.getMessage());
      return due;
    }
  }

  /**
   * A version 2 batch, series by series: each live sample to its series' head (a series' labels are
   * decoded only when it has no head here), late ones to {@code now}, refused ones to the dead letters.
   */
  private void readBatch(ConsumerRecord<byte[], byte[]> record, long liveFrom, long nanos, List<Pending> now)
      throws MalformedRecordException {
    SampleBatchCodec.Reader series = new SampleBatchCodec.Reader(record.value());
    while (series.next()) {
      SeriesLabelBytes key = series.labelBytes();
      SeriesHeads.Head head = heads.find(key);
      SeriesSamples whole = null; // made for what is rare: late samples, refusals
      boolean refused = false;
      for (int i = 0; i < series.samples(); i++) {
        long t = series.timestamp(i);
        double v = series.value(i);
        if (t >= liveFrom && head == null && !refused) {
          head = heads.open(key, series.labels(), t, nanos);
          refused = head == null;
        }
        SeriesHeads.Outcome outcome = t < liveFrom ? SeriesHeads.Outcome.LATE
            : refused ? SeriesHeads.Outcome.REFUSED : heads.add(head, t, v, nanos);
        switch (outcome) {
          case HELD -> { }
          case DUPLICATE -> metrics.samplesDuplicate.increment();
          case LATE -> {
            whole = whole != null ? whole : series.series();
            now.add(new Pending(record, new Sample(whole.name(), whole.labels(), t, v), true));
          }
          case REFUSED -> { } // the series' live samples go to the dead letters together, below
        }
      }
      if (refused) {
        whole = whole != null ? whole : series.series();
        List<Sample> live = whole.samples().stream().filter(s -> s.timestampMillis() >= liveFrom).toList();
        refuse(part(record, SeriesSamples.of(live)), whole.seriesKey(), live.size());
      }
    }
  }

  private void refuse(ConsumerRecord<byte[], byte[]> record, String seriesKey, int samples) {
    metrics.samplesRefused.increment(samples);
    refusedSinceLog += samples;
    String reason = heads.lastRefusal();
    long nanos = System.nanoTime();
    if (nanos - lastRefusalLogNanos >= 10_000_000_000L) {
      LOG.error("{} ({} series held here): refused {} samples of new series, e.g. {}; raise"
          + " metric-heads.max-active-series and the heap (-Xmx), or cut the series", reason, heads.size(),
          refusedSinceLog, seriesKey);
      lastRefusalLogNanos = nanos;
      refusedSinceLog = 0;
    }
    deadLetters.send(record, DeadLetterSink.REJECTED, reason);
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
        case WriteOutcome.Rejected r -> deadLetters.send(samples.get(i).deadLetter(), DeadLetterSink.REJECTED,
            r.reason());
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
