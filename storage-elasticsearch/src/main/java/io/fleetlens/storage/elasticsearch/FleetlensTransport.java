package io.fleetlens.storage.elasticsearch;

import co.elastic.clients.json.JsonpMapper;
import co.elastic.clients.transport.ElasticsearchTransportBase;
import co.elastic.clients.transport.TransportOptions;
import co.elastic.clients.transport.http.TransportHttpClient;
import co.elastic.clients.transport.rest5_client.Rest5ClientOptions;

/** The Java client's standard transport over the Rest5 client, with request bodies sent in one piece. */
final class FleetlensTransport extends ElasticsearchTransportBase {

  FleetlensTransport(TransportHttpClient httpClient, JsonpMapper mapper) {
    super(new SingleBufferHttpClient(httpClient), Rest5ClientOptions.of(null), mapper);
  }

  private FleetlensTransport(TransportHttpClient wrapped, TransportOptions options, JsonpMapper mapper) {
    super(wrapped, options, mapper);
  }

  @Override
  protected ElasticsearchTransportBase cloneWith(TransportOptions options, JsonpMapper mapper,
      co.elastic.clients.transport.instrumentation.Instrumentation instrumentation) {
    return new FleetlensTransport(httpClient, options == null ? transportOptions : options,
        mapper == null ? this.mapper : mapper);
  }
}
