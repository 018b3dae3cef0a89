package io.fleetlens.storage.elasticsearch.metrics;

import java.io.IOException;
import java.io.StringReader;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;

import io.fleetlens.core.logs.StoreUnavailableException;

/**
 * Installs what the metric indices are created from, once per process: index templates for the
 * windows' sample indices ({@code time_series} mode with the series id as the only dimension, so
 * documents are sorted and compressed per series and a sample written twice is a conflict, not a
 * copy) and for the daily chunk indices, so whichever write comes first, even one after the
 * compactor deleted a window's index, creates the index right; and the series index and the
 * compactors' index, with every label a keyword.
 */
public final class MetricIndices {

  private final ElasticsearchClient client;
  private final MetricIndexLayout layout;
  private final int shards;
  private final int replicas;
  private final String refresh;
  private final boolean owner;
  private volatile boolean installed;

  public MetricIndices(ElasticsearchClient client, MetricIndexLayout layout, int shards, int replicas, String refresh) {
    this(client, layout, shards, replicas, refresh, true);
  }

  private MetricIndices(ElasticsearchClient client, MetricIndexLayout layout, int shards, int replicas, String refresh,
      boolean owner) {
    this.client = client;
    this.layout = layout;
    this.shards = shards;
    this.replicas = replicas;
    this.refresh = refresh;
    this.owner = owner;
  }

  /**
   * The indices as another component (the aggregator, with its shard and replica settings) installs
   * them: writing waits until they are there instead of installing them with other settings.
   */
  public static MetricIndices installedByAggregator(ElasticsearchClient client, MetricIndexLayout layout) {
    return new MetricIndices(client, layout, 1, 0, "1s", false);
  }

  public void ensureInstalled() throws StoreUnavailableException {
    if (installed) {
      return;
    }
    if (!owner) {
      try {
        String template = layout.samplePrefix().substring(0, layout.samplePrefix().length() - 1);
        if (!client.indices().existsIndexTemplate(t -> t.name(template)).value()
            || !client.indices().exists(e -> e.index(layout.seriesIndex())).value()) {
          throw new StoreUnavailableException("the metric indices are not installed yet; the aggregator installs them",
              null);
        }
      } catch (IOException | ElasticsearchException e) {
        throw new StoreUnavailableException("cannot check the metric indices: " + e.getMessage(), e);
      }
      installed = true;
      return;
    }
    synchronized (this) {
      if (installed) {
        return;
      }
      template(layout.samplePrefix(), layout.samplePattern(), """
          {"index_patterns": ["%s"], "priority": 200, "template": {
           "settings": {"number_of_shards": %d, "number_of_replicas": %d, "refresh_interval": "%s",
             "index.mode": "time_series", "index.routing_path": ["series_id"]},
           "mappings": {"dynamic": "strict", "properties": {
             "@timestamp": {"type": "date", "format": "epoch_millis"},
             "series_id": {"type": "keyword", "time_series_dimension": true},
             "value": {"type": "double", "time_series_metric": "gauge"},
             "special": {"type": "keyword"}}}}}
          """.formatted(layout.samplePattern(), shards, replicas, refresh));
      template(layout.chunkPrefix(), layout.chunkPattern(), """
          {"index_patterns": ["%s"], "priority": 200, "template": {
           "settings": {"number_of_shards": %d, "number_of_replicas": %d, "refresh_interval": "%s",
             "index.codec": "best_compression", "index.mapping.source.mode": "disabled"},
           "mappings": {"dynamic": "strict", "properties": {
             "series_id": {"type": "keyword"},
             "start": {"type": "date", "format": "epoch_millis"},
             "end": {"type": "date", "format": "epoch_millis"},
             "count": {"type": "integer", "index": false},
             "samples": {"type": "binary", "doc_values": true},
             "data": {"type": "binary"}}}}}
          """.formatted(layout.chunkPattern(), shards, replicas, refresh));
      addSamplesField();
      create(layout.seriesIndex(), """
          {"settings": {"number_of_shards": %d, "number_of_replicas": %d, "refresh_interval": "%s"},
           "mappings": {"dynamic": "strict",
             "dynamic_templates": [{"labels": {"path_match": "labels.*", "mapping": {"type": "keyword"}}}],
             "properties": {
               "series_id": {"type": "keyword"},
               "name": {"type": "keyword"},
               "first_seen": {"type": "date", "format": "epoch_millis"},
               "last_seen": {"type": "date", "format": "epoch_millis"},
               "labels": {"type": "object", "subobjects": false, "dynamic": true}}}}
          """.formatted(shards, replicas, refresh));
      create(layout.metadataIndex(), """
          {"settings": {"number_of_shards": 1, "number_of_replicas": %d},
           "mappings": {"dynamic": "strict", "properties": {
             "metric": {"type": "keyword"}, "type": {"type": "keyword"},
             "help": {"type": "keyword", "index": false, "doc_values": false},
             "unit": {"type": "keyword"}}}}
          """.formatted(replicas));
      create(layout.compactionIndex(), """
          {"settings": {"number_of_shards": 1, "number_of_replicas": %d},
           "mappings": {"dynamic": "strict", "properties": {
             "owner": {"type": "keyword"}, "until": {"type": "long"}}}}
          """.formatted(replicas));
      installed = true;
    }
  }

  private void template(String name, String pattern, String body) throws StoreUnavailableException {
    try {
      client.indices().putIndexTemplate(t -> t.name(name.substring(0, name.length() - 1)).withJson(new StringReader(body)));
    } catch (IOException | ElasticsearchException e) {
      throw new StoreUnavailableException("cannot install the template for " + pattern + ": " + e.getMessage(), e);
    }
  }

  /**
   * Chunk indices made by a version that kept the packed samples in the source ({@code data}) get
   * the {@code samples} field, so chunks written over their documents from now on have doc values.
   */
  private void addSamplesField() throws StoreUnavailableException {
    try {
      client.indices().putMapping(m -> m.index(layout.chunkPattern()).allowNoIndices(true).ignoreUnavailable(true)
          .withJson(new StringReader("""
              {"properties": {"samples": {"type": "binary", "doc_values": true}}}""")));
    } catch (IOException | ElasticsearchException e) {
      throw new StoreUnavailableException("cannot add the samples field to " + layout.chunkPattern() + ": "
          + e.getMessage(), e);
    }
  }

  private void create(String index, String body) throws StoreUnavailableException {
    try {
      if (!client.indices().exists(e -> e.index(index)).value()) {
        client.indices().create(c -> c.index(index).withJson(new StringReader(body)));
      } else if (index.equals(layout.seriesIndex())) { // made by an older version: add the fields it lacks
        client.indices().putMapping(m -> m.index(index).withJson(new StringReader("""
            {"properties": {"first_seen": {"type": "date", "format": "epoch_millis"},
                            "last_seen": {"type": "date", "format": "epoch_millis"}}}""")));
      }
    } catch (ElasticsearchException e) {
      if (!"resource_already_exists_exception".equals(e.error().type())) {
        throw new StoreUnavailableException("cannot create " + index + ": " + e.getMessage(), e);
      }
    } catch (IOException e) {
      throw new StoreUnavailableException("cannot create " + index + ": " + e.getMessage(), e);
    }
  }
}
