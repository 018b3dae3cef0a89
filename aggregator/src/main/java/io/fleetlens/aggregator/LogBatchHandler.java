package io.fleetlens.aggregator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fleetlens.core.logs.LogRecord;
import io.fleetlens.core.logs.LogWriter;
import io.fleetlens.core.logs.StoreUnavailableException;
import io.fleetlens.core.logs.WriteOutcome;
import io.fleetlens.transport.kafka.LogRecordCodec;
import io.fleetlens.transport.kafka.MalformedRecordException;

/**
 * Handles one batch of the logs topic: decodes each record, fills in its level, and writes the
 * batch until every record is stored or known unstorable. A malformed or rejected record goes to
 * the dead letters and the rest still land; an unreachable store is waited out with backoff.
 */
final class LogBatchHandler implements BatchHandler {

  private static final Logger LOG = LoggerFactory.getLogger(LogBatchHandler.class);

  private final LogRecordCodec codec = new LogRecordCodec();
  private final LogWriter writer;
  private final DeadLetterSink deadLetters;
  private final AggregatorMetrics metrics;
  private final Backoff backoff;
  private final BooleanSupplier running;
  private final Consumer<LogRecord> stored;

  private record Pending(ConsumerRecord<byte[], byte[]> source, LogRecord record) {
  }

  LogBatchHandler(LogWriter writer, DeadLetterSink deadLetters, AggregatorMetrics metrics, Backoff backoff,
      BooleanSupplier running) {
    this(writer, deadLetters, metrics, backoff, running, record -> { });
  }

  /** {@code stored} sees each record stored for the first time (not a replay found stored). */
  LogBatchHandler(LogWriter writer, DeadLetterSink deadLetters, AggregatorMetrics metrics, Backoff backoff,
      BooleanSupplier running, Consumer<LogRecord> stored) {
    this.writer = writer;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
    this.backoff = backoff;
    this.running = running;
    this.stored = stored;
  }

  /**
   * Returns true when every record of the batch was dealt with, false when the handler was stopped
   * before (then none of the batch may be committed).
   */
  @Override
  public boolean handle(List<ConsumerRecord<byte[], byte[]>> batch) throws InterruptedException {
    List<Pending> pending = decode(batch);
    return backoff.retryUntilEmpty(pending, running, this::writeOnce);
  }

  private List<Pending> decode(List<ConsumerRecord<byte[], byte[]>> batch) {
    List<Pending> decoded = new ArrayList<>(batch.size());
    for (ConsumerRecord<byte[], byte[]> source : batch) {
      try {
        LogRecord record = codec.decode(source.value());
        Map<String, String> fields = JsonFields.of(record.message());
        if (!fields.isEmpty()) {
          record = record.withFields(fields);
        }
        if (record.level() == null) {
          record = LevelDetector.detect(record.message(), fields).map(record::withLevel).orElse(record);
        }
        decoded.add(new Pending(source, record));
      } catch (MalformedRecordException e) {
        deadLetters.send(source, DeadLetterSink.MALFORMED, e.getMessage());
      }
    }
    return decoded;
  }

  /** One bulk attempt; returns what must be tried again. */
  private List<Pending> writeOnce(List<Pending> pending) {
    List<WriteOutcome> outcomes;
    try (var timing = new Timing(metrics)) {
      outcomes = writer.write(pending.stream().map(Pending::record).toList());
    } catch (StoreUnavailableException e) {
      metrics.unavailable.increment();
      LOG.warn("Elasticsearch unavailable, retrying {} records: {}", pending.size(), e.getMessage());
      return pending;
    }
    List<Pending> again = new ArrayList<>();
    for (int i = 0; i < pending.size(); i++) {
      switch (outcomes.get(i)) {
        case WriteOutcome.Written w -> {
          metrics.indexed.increment();
          stored.accept(pending.get(i).record());
        }
        case WriteOutcome.AlreadyPresent p -> metrics.duplicates.increment();
        case WriteOutcome.Retry r -> {
          metrics.retries.increment();
          again.add(pending.get(i));
        }
        case WriteOutcome.Rejected r -> deadLetters.send(pending.get(i).source(), DeadLetterSink.REJECTED, r.reason());
      }
    }
    return again;
  }

  /** Times one bulk request into the bulk timer. */
  private static final class Timing implements AutoCloseable {
    private final AggregatorMetrics metrics;
    private final long start = System.nanoTime();

    Timing(AggregatorMetrics metrics) {
      this.metrics = metrics;
    }

    @Override
    public void close() {
      metrics.bulk.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
  }
}
