package io.fleetlens.storage.elasticsearch.metrics;

import java.io.IOException;
import java.io.StringReader;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;

import io.fleetlens.core.logs.StoreUnavailableException;

/**
 * Creates the metric indices when first needed: each day's sample index in {@code time_series}
 * mode (the series id is its only dimension, so documents are sorted and compressed per series,
 * and a sample written twice is a conflict, not a copy), bounded to its day; the series index with
 * every label as a keyword.
 */
public final class MetricIndices {

  private final ElasticsearchClient client;
  private final MetricIndexLayout layout;
  private final int shards;
  private final int replicas;
  private final String refresh;
  private final Set<String> known = ConcurrentHashMap.newKeySet();

  public MetricIndices(ElasticsearchClient client, MetricIndexLayout layout, int shards, int replicas, String refresh) {
    this.client = client;
    this.layout = layout;
    this.shards = shards;
    this.replicas = replicas;
    this.refresh = refresh;
  }

  public void ensureSeriesIndex() throws StoreUnavailableException {
    ensure(layout.seriesIndex(), """
        {"settings": {"number_of_shards": %d, "number_of_replicas": %d, "refresh_interval": "%s"},
         "mappings": {"dynamic": "strict",
           "dynamic_templates": [{"labels": {"path_match": "labels.*", "mapping": {"type": "keyword"}}}],
           "properties": {
             "series_id": {"type": "keyword"},
             "name": {"type": "keyword"},
             "labels": {"type": "object", "subobjects": false, "dynamic": true}}}}
        """.formatted(shards, replicas, refresh));
  }

  public void ensureDay(LocalDate day) throws StoreUnavailableException {
    String start = day.atStartOfDay(ZoneOffset.UTC).toInstant().toString();
    String end = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toString();
    ensure(layout.sampleIndex(day), """
        {"settings": {"number_of_shards": %d, "number_of_replicas": %d, "refresh_interval": "%s",
           "index.mode": "time_series", "index.routing_path": ["series_id"],
           "index.time_series.start_time": "%s", "index.time_series.end_time": "%s"},
         "mappings": {"dynamic": "strict", "properties": {
           "@timestamp": {"type": "date", "format": "epoch_millis"},
           "series_id": {"type": "keyword", "time_series_dimension": true},
           "value": {"type": "double", "time_series_metric": "gauge"},
           "special": {"type": "keyword"}}}}
        """.formatted(shards, replicas, refresh, start, end));
  }

  private void ensure(String index, String body) throws StoreUnavailableException {
    if (known.contains(index)) {
      return;
    }
    try {
      if (!client.indices().exists(e -> e.index(index)).value()) {
        client.indices().create(c -> c.index(index).withJson(new StringReader(body)));
      }
      known.add(index);
    } catch (ElasticsearchException e) {
      if ("resource_already_exists_exception".equals(e.error().type())) {
        known.add(index);
        return;
      }
      throw new StoreUnavailableException("cannot create " + index + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new StoreUnavailableException("cannot create " + index + ": " + e.getMessage(), e);
    }
  }
}
