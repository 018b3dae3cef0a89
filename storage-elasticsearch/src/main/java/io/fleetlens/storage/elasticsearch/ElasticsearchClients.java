package io.fleetlens.storage.elasticsearch;

import java.net.URI;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest5_client.Rest5ClientHttpClient;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;

/** Builds the official Java client for a set of nodes, with credentials and trust from {@link ElasticsearchSecurity}. */
public final class ElasticsearchClients {

  private ElasticsearchClients() {
  }

  public static ElasticsearchClient create(ElasticsearchSettings settings) {
    return create(settings, ElasticsearchSecurity.NONE);
  }

  /** A client that authenticates and trusts as {@code security} says. */
  public static ElasticsearchClient create(ElasticsearchSettings settings, ElasticsearchSecurity security) {
    ObjectMapper mapper = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    var builder = Rest5Client.builder(settings.hosts().stream().map(URI::create).toList())
        .setCompressionEnabled(settings.compression())
        // the HTTP client asks for gzip answers by default: large aggregation answers then cost
        // Elasticsearch and this process CPU to pack and unpack, worth it only where compression is on
        .setHttpClientConfigCallback(http -> {
          if (!settings.compression()) {
            http.disableContentCompression();
          }
        })
        .setDefaultHeaders(security.headers());
    if (security.headers().length > 0 && settings.hosts().stream().anyMatch(h -> h.startsWith("http://"))) {
      org.slf4j.LoggerFactory.getLogger(ElasticsearchClients.class).warn(
          "Elasticsearch credentials are configured for plain http hosts {}: they travel unencrypted",
          settings.hosts());
    }
    javax.net.ssl.SSLContext tls = security.sslContext();
    if (tls != null) {
      builder.setSSLContext(tls);
    }
    Rest5Client rest = builder.build();
    return new ElasticsearchClient(new FleetlensTransport(new Rest5ClientHttpClient(rest), new JacksonJsonpMapper(mapper)));
  }
}
