package io.fleetlens.query;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.fleetlens.runtime.ConfigLoader;
import io.fleetlens.storage.elasticsearch.ElasticsearchSecurity;
import io.fleetlens.storage.elasticsearch.ElasticsearchSettings;

/** The query API's configuration; keys, defaults and variables are listed in query-api/README.md. */
public record QueryApiConfig(Elasticsearch elasticsearch, Promql promql, Http http, Database database,
    Alerting alerting, Auth auth, Limits limits) {

  /** Per-caller limits (query-api/README.md, "Limits"). */
  public record Limits(int maxQueryLength, double requestsPerSecond, double burst, int maxConcurrent,
      long maxTimeRangeMs, long maxBodyBytes) {

    public static Limits defaults() {
      return new Limits(16_384, 200, 400, 32, 32 * 86_400_000L, 1024 * 1024);
    }
  }

  /** Access control (query-api/README.md, "Access"): bearer tokens with roles on every /api/ and /loki/ endpoint. */
  public record Auth(boolean enabled, String bootstrapAdminTokenFile) {

    public Auth {
      bootstrapAdminTokenFile = bootstrapAdminTokenFile == null ? "" : bootstrapAdminTokenFile;
    }

    public static Auth off() {
      return new Auth(false, "");
    }
  }

  /** Limits of PromQL queries: samples read, series selected, time, and the instant selectors' lookback. */
  public record Promql(long maxSamples, int maxSeries, long timeoutMs, long lookbackMs, long chunkCacheBytes) {

    /** Without a chunk cache. */
    public Promql(long maxSamples, int maxSeries, long timeoutMs, long lookbackMs) {
      this(maxSamples, maxSeries, timeoutMs, lookbackMs, 0);
    }
  }

  /** Where Elasticsearch is, and how to authenticate to it and trust it ({@code security}, secrets from files). */
  public record Elasticsearch(List<String> hosts, String indexPrefix, ElasticsearchSecurity security) {

    public Elasticsearch {
      security = security == null ? ElasticsearchSecurity.NONE : security;
    }

    public Elasticsearch(List<String> hosts, String indexPrefix) {
      this(hosts, indexPrefix, ElasticsearchSecurity.NONE);
    }

    public ElasticsearchSettings settings() {
      return new ElasticsearchSettings(hosts, indexPrefix, 1, 0, "1s", false);
    }
  }

  /** The listener; with {@code tls.key-store-file} set, HTTPS only (and mutual TLS with {@code tls.client-ca-file}). */
  public record Http(String host, int port, io.fleetlens.runtime.Tls tls) {

    public Http {
      tls = tls == null ? io.fleetlens.runtime.Tls.OFF : tls;
    }

    public Http(String host, int port) {
      this(host, port, io.fleetlens.runtime.Tls.OFF);
    }
  }

  /** The relational database: price sheets, the cluster registry, alert rules, state and notifications. */
  public record Database(String jdbcUrl, String user, String password) {

    /** An H2 database in this process's memory, for tests. */
    public static Database inMemory(String name) {
      return new Database(io.fleetlens.pricing.PricingStore.h2Url("mem:" + name + "-" + System.nanoTime()
          + ";DB_CLOSE_DELAY=-1"), "sa", "");
    }
  }

  /** Rule evaluation and notification (query-api/README.md, "Alerting"). */
  public record Alerting(
      boolean enabled,
      long tickMs,
      long defaultIntervalMs,
      long leaseMs,
      String instance,
      long resolvedRetentionMs,
      boolean deliveryPaused,
      long retryInitialMs,
      long retryMaxMs,
      int maxAttempts,
      String externalUrl,
      Map<String, String> externalLabels,
      List<String> ruleFiles) {

    public Alerting {
      externalLabels = externalLabels == null ? Map.of() : Map.copyOf(externalLabels);
      ruleFiles = ruleFiles == null ? List.of() : List.copyOf(ruleFiles);
      instance = instance == null ? "" : instance;
      externalUrl = externalUrl == null ? "" : externalUrl;
    }

    /** The shipped defaults: on, a 1-second tick, Prometheus' 1-minute interval and 15-minute resolved retention. */
    public static Alerting defaults() {
      return new Alerting(true, 1_000, 60_000, 15_000, "", 900_000, false, 1_000, 300_000, 20, "", Map.of(), List.of());
    }

    public Alerting withDeliveryPaused(boolean paused) {
      return new Alerting(enabled, tickMs, defaultIntervalMs, leaseMs, instance, resolvedRetentionMs, paused,
          retryInitialMs, retryMaxMs, maxAttempts, externalUrl, externalLabels, ruleFiles);
    }

    public Alerting withRetry(long initialMs, long maxMs, int attempts) {
      return new Alerting(enabled, tickMs, defaultIntervalMs, leaseMs, instance, resolvedRetentionMs, deliveryPaused,
          initialMs, maxMs, attempts, externalUrl, externalLabels, ruleFiles);
    }

    public Alerting off() {
      return new Alerting(false, tickMs, defaultIntervalMs, leaseMs, instance, resolvedRetentionMs, deliveryPaused,
          retryInitialMs, retryMaxMs, maxAttempts, externalUrl, externalLabels, ruleFiles);
    }
  }

  public static QueryApiConfig load(Path file, Map<String, String> env) {
    return ConfigLoader.load(QueryApiConfig.class, "query-api-defaults.yaml", file, env);
  }
}
