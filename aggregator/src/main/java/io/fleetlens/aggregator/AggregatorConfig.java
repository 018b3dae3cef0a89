package io.fleetlens.aggregator;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.fleetlens.runtime.ConfigLoader;
import io.fleetlens.transport.kafka.KafkaCluster;
import io.fleetlens.transport.kafka.Topics;
import io.fleetlens.storage.elasticsearch.ElasticsearchSecurity;
import io.fleetlens.storage.elasticsearch.ElasticsearchSettings;

/** The aggregator's configuration; keys, defaults and variables are listed in aggregator/README.md. */
public record AggregatorConfig(Kafka kafka, Elasticsearch elasticsearch, Retry retry, Retention retention,
    Compaction compaction, MetricHeads metricHeads, AccessLogs accessLogs, Federation federation, Http http) {

  public AggregatorConfig {
    metricHeads = metricHeads == null ? MetricHeads.DEFAULTS : metricHeads;
  }

  public AggregatorConfig(Kafka kafka, Elasticsearch elasticsearch, Retry retry, Retention retention,
      Compaction compaction, AccessLogs accessLogs, Federation federation, Http http) {
    this(kafka, elasticsearch, retry, retention, compaction, MetricHeads.DEFAULTS, accessLogs, federation, http);
  }

  public AggregatorConfig withMetricHeads(MetricHeads heads) {
    return new AggregatorConfig(kafka, elasticsearch, retry, retention, compaction, heads, accessLogs, federation,
        http);
  }

  /**
   * The newest samples of each series, held in memory and stored as their windows' chunk
   * documents every {@code flushIntervalMs} (and whenever the metrics topic is read to its end);
   * Kafka offsets are committed after. At most {@code maxActiveSeries} series are held (a new one
   * past that is refused); a series that sent nothing for {@code idleMs} is let go.
   */
  public record MetricHeads(long flushIntervalMs, long maxActiveSeries, long idleMs) {
    public static final MetricHeads DEFAULTS = new MetricHeads(10_000, 1_000_000, 900_000);
  }

  /** How many days of logs and of metrics are kept (0: forever), checked every {@code intervalMs}. */
  public record Retention(int logDays, int metricDays, long intervalMs) {
  }

  /**
   * Packing each finished two-hour window's samples into per-series chunks, {@code graceMs} after
   * the window ends, checked every {@code intervalMs}; a compactor's claim on a window lapses after
   * {@code leaseMs} if it dies.
   */
  public record Compaction(boolean enabled, long graceMs, long intervalMs, long leaseMs) {
  }

  /**
   * Request metrics made from access-log lines ({@code fleetlens_log_http_*}), put on the metrics
   * topic every {@code intervalMs}.
   */
  public record AccessLogs(boolean enabled, long intervalMs) {
  }

  /** Prometheus servers to pull through /federate: {@code <cluster>=<url>} each, replicas of a cluster repeated. */
  public record Federation(List<String> targets, List<String> match, String replicaLabel, long intervalMs,
      long timeoutMs) {
  }

  /** The topics and consumer groups; client TLS and SASL settings come from {@code clientPropertiesFile}, a Secret. */
  public record Kafka(String bootstrapServers, String topic, String deadLetterTopic, String metricsTopic,
      String metricsDeadLetterTopic, String groupId, int consumers, int metricConsumers, int maxPollRecords,
      int maxPollIntervalMs, boolean createTopics, int partitions, short replicationFactor,
      String clientPropertiesFile, long retentionMs) {

    public Kafka {
      clientPropertiesFile = clientPropertiesFile == null ? "" : clientPropertiesFile;
      topic = Topics.or(topic, Topics.LOGS);
      deadLetterTopic = Topics.or(deadLetterTopic, Topics.LOGS_DEAD_LETTER);
      metricsTopic = Topics.or(metricsTopic, Topics.METRICS);
      metricsDeadLetterTopic = Topics.or(metricsDeadLetterTopic, Topics.METRICS_DEAD_LETTER);
    }

    public Kafka(String bootstrapServers, String topic, String deadLetterTopic, String metricsTopic,
        String metricsDeadLetterTopic, String groupId, int consumers, int metricConsumers, int maxPollRecords,
        int maxPollIntervalMs, boolean createTopics, int partitions, short replicationFactor) {
      this(bootstrapServers, topic, deadLetterTopic, metricsTopic, metricsDeadLetterTopic, groupId, consumers,
          metricConsumers, maxPollRecords, maxPollIntervalMs, createTopics, partitions, replicationFactor, "",
          0);
    }

    public Kafka withClientProperties(String file) {
      return new Kafka(bootstrapServers, topic, deadLetterTopic, metricsTopic, metricsDeadLetterTopic, groupId,
          consumers, metricConsumers, maxPollRecords, maxPollIntervalMs, createTopics, partitions, replicationFactor,
          file, retentionMs);
    }

    /** The cluster with its security settings (the properties file is read here). */
    public KafkaCluster cluster() {
      return KafkaCluster.of(bootstrapServers, clientPropertiesFile);
    }
  }

  /** Where Elasticsearch is, how indices are shaped, and how to authenticate to it and trust it (secrets from files). */
  public record Elasticsearch(List<String> hosts, String indexPrefix, int shards, int replicas,
      String refreshInterval, boolean compression, ElasticsearchSecurity security) {

    public Elasticsearch {
      security = security == null ? ElasticsearchSecurity.NONE : security;
    }

    public Elasticsearch(List<String> hosts, String indexPrefix, int shards, int replicas, String refreshInterval,
        boolean compression) {
      this(hosts, indexPrefix, shards, replicas, refreshInterval, compression, ElasticsearchSecurity.NONE);
    }

    public ElasticsearchSettings settings() {
      return new ElasticsearchSettings(hosts, indexPrefix, shards, replicas, refreshInterval, compression);
    }
  }

  public record Retry(long initialBackoffMs, long maxBackoffMs) {
  }

  /**
   * The listener; with {@code tls.key-store-file} set, HTTPS only (and mutual TLS with
   * {@code tls.client-ca-file}); with {@code remoteWriteSendersFile} set, remote_write only from the
   * senders it lists.
   */
  public record Http(String host, int port, io.fleetlens.runtime.Tls tls, String remoteWriteSendersFile) {

    public Http {
      tls = tls == null ? io.fleetlens.runtime.Tls.OFF : tls;
      remoteWriteSendersFile = remoteWriteSendersFile == null ? "" : remoteWriteSendersFile;
    }

    public Http(String host, int port) {
      this(host, port, io.fleetlens.runtime.Tls.OFF, "");
    }

    public Http withRemoteWriteSenders(String file) {
      return new Http(host, port, tls, file);
    }
  }

  public static AggregatorConfig load(Path file, Map<String, String> env) {
    return ConfigLoader.load(AggregatorConfig.class, "aggregator-defaults.yaml", file, env);
  }
}
