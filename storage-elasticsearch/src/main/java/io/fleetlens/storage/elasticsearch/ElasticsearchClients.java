package io.fleetlens.storage.elasticsearch;

import java.net.URI;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;

/** Builds the official Java client for a set of nodes. */
public final class ElasticsearchClients {

  private ElasticsearchClients() {
  }

  public static ElasticsearchClient create(ElasticsearchSettings settings) {
    ObjectMapper mapper = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    return ElasticsearchClient.of(b -> b
        .hosts(settings.hosts().stream().map(URI::create).toList())
        .useCompression(true)
        .jsonMapper(new JacksonJsonpMapper(mapper)));
  }
}
