package io.fleetlens.storage.elasticsearch;

import java.net.URI;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest5_client.Rest5ClientHttpClient;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;

/** Builds the official Java client for a set of nodes. */
public final class ElasticsearchClients {

  private ElasticsearchClients() {
  }

  public static ElasticsearchClient create(ElasticsearchSettings settings) {
    ObjectMapper mapper = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    Rest5Client rest = Rest5Client.builder(settings.hosts().stream().map(URI::create).toList())
        .setCompressionEnabled(settings.compression())
        .build();
    return new ElasticsearchClient(new FleetlensTransport(new Rest5ClientHttpClient(rest), new JacksonJsonpMapper(mapper)));
  }
}
