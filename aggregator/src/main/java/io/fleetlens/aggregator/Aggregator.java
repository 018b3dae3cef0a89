package io.fleetlens.aggregator;

import java.util.List;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

import io.fleetlens.core.logs.LogWriter;
import io.fleetlens.storage.elasticsearch.ElasticsearchClients;
import io.fleetlens.storage.elasticsearch.ElasticsearchLogWriter;
import io.fleetlens.storage.elasticsearch.LogIndexLayout;
import io.fleetlens.storage.elasticsearch.LogIndexTemplate;
import io.fleetlens.storage.elasticsearch.ElasticsearchSettings;
import io.fleetlens.storage.elasticsearch.IndexRetention;
import io.fleetlens.storage.elasticsearch.metrics.ElasticsearchChunkWriter;
import io.fleetlens.storage.elasticsearch.metrics.ElasticsearchMetadataStore;
import io.fleetlens.storage.elasticsearch.metrics.ElasticsearchSampleWriter;
import io.fleetlens.storage.elasticsearch.metrics.MetricIndexLayout;
import io.fleetlens.storage.elasticsearch.metrics.MetricIndices;
import io.fleetlens.storage.elasticsearch.metrics.SampleCompactor;
import io.fleetlens.transport.kafka.TopicProvisioner;
import io.micrometer.core.instrument.MeterRegistry;

/** Moves log records and metric samples from Kafka into Elasticsearch. */
public final class Aggregator implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Aggregator.class);

  private final AggregatorConfig config;
  private final ElasticsearchClient client;
  private final LogWriter writer;
  private final List<DeadLetters> deadLetters = new java.util.ArrayList<>();
  private final List<TopicIndexer> indexers = new java.util.ArrayList<>();
  private volatile boolean templateInstalled;
  private final SampleCompactor compactor;
  private final AggregatorMetrics metrics;
  private final java.util.concurrent.ScheduledExecutorService housekeeping =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "aggregator-retention"));
  private final java.util.concurrent.ScheduledExecutorService compaction =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "aggregator-compactor"));

  public Aggregator(AggregatorConfig config, MeterRegistry registry) {
    this(config, registry, record -> { });
  }

  /** {@code stored} sees each log record stored for the first time. */
  public Aggregator(AggregatorConfig config, MeterRegistry registry,
      java.util.function.Consumer<io.fleetlens.core.logs.LogRecord> stored) {
    this.config = config;
    this.client = ElasticsearchClients.create(config.elasticsearch().settings(), config.elasticsearch().security());
    LogIndexLayout layout = new LogIndexLayout(config.elasticsearch().indexPrefix());
    ElasticsearchLogWriter elasticsearch = new ElasticsearchLogWriter(client, layout);
    this.writer = new TemplateFirstWriter(elasticsearch, this::installTemplate);
    AggregatorMetrics metrics = new AggregatorMetrics(registry);
    this.metrics = metrics;
    for (int i = 0; i < config.kafka().consumers(); i++) {
      Backoff backoff = new Backoff(config.retry().initialBackoffMs(), config.retry().maxBackoffMs());
      DeadLetters letters = new DeadLetters(config.kafka().cluster(), config.kafka().deadLetterTopic(), metrics);
      deadLetters.add(letters);
      indexers.add(new TopicIndexer(config.kafka(), config.kafka().topic(), config.kafka().groupId(),
          running -> new LogBatchHandler(writer, letters, metrics, backoff, running, stored), letters, registry,
          "aggregator-consumer-" + i));
    }
    ElasticsearchSettings es = config.elasticsearch().settings();
    MetricIndexLayout metricLayout = new MetricIndexLayout(es.indexPrefix());
    MetricIndices metricIndices = new MetricIndices(client, metricLayout, es.shards(), es.replicas(),
        es.refreshInterval());
    ElasticsearchSampleWriter samples = new ElasticsearchSampleWriter(client, metricLayout, metricIndices);
    ElasticsearchMetadataStore descriptions = new ElasticsearchMetadataStore(client, metricLayout, metricIndices);
    ElasticsearchChunkWriter chunks = new ElasticsearchChunkWriter(client, metricLayout, metricIndices);
    AggregatorConfig.MetricHeads headSettings = config.metricHeads();
    SeriesHeads.Budget budget = new SeriesHeads.Budget(headSettings.maxActiveSeries(),
        new HeapPressure(0.85));
    io.micrometer.core.instrument.Gauge.builder("fleetlens.aggregator.head.series", budget, SeriesHeads.Budget::active)
        .description("Series whose newest samples this process holds in memory").register(registry);
    io.micrometer.core.instrument.Gauge.builder("fleetlens.aggregator.head.series.limit", budget,
        SeriesHeads.Budget::limit).description("metric-heads.max-active-series").register(registry);
    this.compactor = new SampleCompactor(client, metricLayout, metricIndices,
        io.fleetlens.runtime.InstanceName.of(), config.compaction().leaseMs());
    for (int i = 0; i < config.kafka().metricConsumers(); i++) {
      Backoff backoff = new Backoff(config.retry().initialBackoffMs(), config.retry().maxBackoffMs());
      DeadLetters letters = new DeadLetters(config.kafka().cluster(), config.kafka().metricsDeadLetterTopic(),
          metrics);
      deadLetters.add(letters);
      indexers.add(new TopicIndexer(config.kafka(), config.kafka().metricsTopic(), config.kafka().groupId() + "-metrics",
          running -> new SampleBatchHandler(samples, chunks, descriptions, letters, metrics, backoff, running,
              new SeriesHeads(budget, headSettings.idleMs() * 1_000_000L), headSettings.flushIntervalMs(),
              config.compaction().graceMs()),
          letters, registry,
          "aggregator-metrics-" + i));
    }
  }

  public Aggregator start() throws InterruptedException, TimeoutException {
    AggregatorConfig.Kafka kafka = config.kafka();
    if (kafka.createTopics()) {
      TopicProvisioner.ensure(kafka.cluster(), List.of(kafka.topic(), kafka.deadLetterTopic(),
          kafka.metricsTopic(), kafka.metricsDeadLetterTopic()),
          kafka.partitions(), kafka.replicationFactor(), kafka.retentionMs());
    }
    indexers.forEach(TopicIndexer::start);
    AggregatorConfig.Retention retention = config.retention();
    IndexRetention indices = new IndexRetention(client, config.elasticsearch().indexPrefix(), retention.logDays(),
        retention.metricDays());
    housekeeping.scheduleWithFixedDelay(() -> {
      try {
        List<String> deleted = indices.apply(java.time.LocalDate.now(java.time.ZoneOffset.UTC));
        if (!deleted.isEmpty()) {
          LOG.info("deleted indices past retention: {}", deleted);
        }
      } catch (Exception e) {
        LOG.warn("retention check failed; trying again later: {}", e.getMessage());
      }
    }, 0, retention.intervalMs(), java.util.concurrent.TimeUnit.MILLISECONDS);
    AggregatorConfig.Compaction compacting = config.compaction();
    if (compacting.enabled()) {
      compaction.scheduleWithFixedDelay(() -> {
        try {
          for (SampleCompactor.Compacted done : compactor.compactDue(System.currentTimeMillis(),
              compacting.graceMs())) {
            metrics.compactedWindows.increment();
            metrics.compactedSamples.increment(done.samples());
          }
        } catch (Exception e) {
          metrics.compactionFailures.increment();
          LOG.warn("compaction failed; trying again later: {}", e.getMessage());
        }
      }, 0, compacting.intervalMs(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }
    LOG.info("indexing {} into Elasticsearch {}", kafka.topic(), config.elasticsearch().hosts());
    return this;
  }

  /** Ready when Elasticsearch answers and the consumer runs. */
  public boolean elasticsearchReachable() {
    return writer.isAvailable();
  }

  public boolean consuming() {
    return indexers.stream().allMatch(TopicIndexer::isRunning);
  }

  private boolean installTemplate() {
    if (!templateInstalled) {
      try {
        LogIndexTemplate.install(client, config.elasticsearch().settings(),
            new LogIndexLayout(config.elasticsearch().indexPrefix()));
        templateInstalled = true;
      } catch (Exception e) {
        LOG.warn("cannot install the log index template yet: {}", e.getMessage());
      }
    }
    return templateInstalled;
  }

  @Override
  public void close() throws Exception {
    housekeeping.shutdownNow();
    compaction.shutdownNow();
    compaction.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
    for (TopicIndexer indexer : indexers) {
      indexer.close();
    }
    deadLetters.forEach(DeadLetters::close);
    client.close();
  }
}
