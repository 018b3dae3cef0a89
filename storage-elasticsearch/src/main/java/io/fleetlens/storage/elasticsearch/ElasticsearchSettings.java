package io.fleetlens.storage.elasticsearch;

import java.util.List;

/**
 * How to reach Elasticsearch and shape its log indices.
 *
 * @param hosts base URLs of one or more nodes
 * @param indexPrefix prefix of every index and template name
 * @param shards primary shards per daily index
 * @param replicas replicas per shard
 * @param refreshInterval how soon indexed lines become searchable, such as {@code 1s}
 * @param compression gzip request bodies and answers: saves network, costs CPU on both ends
 */
public record ElasticsearchSettings(List<String> hosts, String indexPrefix, int shards, int replicas,
    String refreshInterval, boolean compression) {

  public ElasticsearchSettings {
    hosts = List.copyOf(hosts);
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException("at least one Elasticsearch host is needed");
    }
  }
}
