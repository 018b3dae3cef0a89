package io.fleetlens.query;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.fleetlens.runtime.ConfigLoader;
import io.fleetlens.storage.elasticsearch.ElasticsearchSettings;

/** The query API's configuration; keys, defaults and variables are listed in query-api/README.md. */
public record QueryApiConfig(Elasticsearch elasticsearch, Promql promql, Http http, Pricing pricing) {

  /** Limits of PromQL queries: samples read, series selected, time, and the instant selectors' lookback. */
  public record Promql(long maxSamples, int maxSeries, long timeoutMs, long lookbackMs) {
  }

  public record Elasticsearch(List<String> hosts, String indexPrefix) {

    public ElasticsearchSettings settings() {
      return new ElasticsearchSettings(hosts, indexPrefix, 1, 0, "1s", false);
    }
  }

  public record Http(String host, int port) {
  }

  /** The database of price sheets and the cluster registry (see pricing/README.md). */
  public record Pricing(String jdbcUrl, String user, String password) {

    /** An H2 database in this process's memory, for tests. */
    public static Pricing inMemory(String name) {
      return new Pricing(io.fleetlens.pricing.PricingStore.h2Url("mem:" + name + "-" + System.nanoTime()
          + ";DB_CLOSE_DELAY=-1"), "sa", "");
    }
  }

  public static QueryApiConfig load(Path file, Map<String, String> env) {
    return ConfigLoader.load(QueryApiConfig.class, "query-api-defaults.yaml", file, env);
  }
}
