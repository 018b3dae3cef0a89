package io.fleetlens.aggregator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** The aggregator's meters; names and tags are listed in aggregator/README.md. */
final class AggregatorMetrics {

  private final MeterRegistry registry;
  final Counter indexed;
  final Counter duplicates;
  final Counter retries;
  final Counter unavailable;
  final Counter samplesStored;
  final Counter samplesDuplicate;
  final Counter samplesRefused;
  final Timer chunkWrites;
  final Timer bulk;
  final Counter compactedSamples;
  final Counter metadataStored;
  final Counter compactedWindows;
  final Counter compactionFailures;

  AggregatorMetrics(MeterRegistry registry) {
    this.registry = registry;
    indexed = records("indexed");
    duplicates = records("duplicate");
    deadLetters("malformed");
    deadLetters("rejected");
    retries = Counter.builder("fleetlens.aggregator.bulk.item.retries")
        .description("Documents Elasticsearch asked to send again (429, 5xx)").register(registry);
    samplesStored = Counter.builder("fleetlens.aggregator.samples").tag("result", "stored")
        .description("Metric samples, by what became of them").register(registry);
    samplesDuplicate = Counter.builder("fleetlens.aggregator.samples").tag("result", "duplicate")
        .description("Metric samples, by what became of them").register(registry);
    samplesRefused = Counter.builder("fleetlens.aggregator.samples").tag("result", "refused")
        .description("Metric samples, by what became of them").register(registry);
    chunkWrites = Timer.builder("fleetlens.aggregator.head.writes")
        .description("Writes of the series heads' chunks to Elasticsearch, retries included").register(registry);
    unavailable = Counter.builder("fleetlens.aggregator.bulk.failures")
        .description("Bulk requests that failed as a whole; the batch is retried").register(registry);
    bulk = Timer.builder("fleetlens.aggregator.bulk").description("Bulk requests to Elasticsearch").register(registry);
    metadataStored = Counter.builder("fleetlens.aggregator.metadata")
        .description("Metric descriptions (type, help, unit) stored").register(registry);
    compactedSamples = Counter.builder("fleetlens.aggregator.compacted.samples")
        .description("Samples packed into chunks by this process's compactor").register(registry);
    compactedWindows = Counter.builder("fleetlens.aggregator.compacted.windows")
        .description("Two-hour sample indices compacted and deleted").register(registry);
    compactionFailures = Counter.builder("fleetlens.aggregator.compaction.failures")
        .description("Compaction passes that failed; retried on the next").register(registry);
  }

  private Counter records(String result) {
    return Counter.builder("fleetlens.aggregator.records").tag("result", result)
        .description("Log records consumed, by what became of them").register(registry);
  }

  Counter deadLetters(String reason) {
    return Counter.builder("fleetlens.aggregator.dead.letters").tag("reason", reason)
        .description("Records sent to the dead-letter topic, by reason").register(registry);
  }
}
