package io.fleetlens.storage.elasticsearch;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

/** Installs (or updates) the index template that every daily log index is created from. */
public final class LogIndexTemplate {

  private LogIndexTemplate() {
  }

  public static void install(ElasticsearchClient client, ElasticsearchSettings settings, LogIndexLayout layout)
      throws IOException {
    String body = resource()
        .replace("${pattern}", layout.indexPattern())
        .replace("${shards}", Integer.toString(settings.shards()))
        .replace("${replicas}", Integer.toString(settings.replicas()))
        .replace("${refresh}", settings.refreshInterval());
    client.indices().putIndexTemplate(t -> t.name(layout.templateName()).withJson(new StringReader(body)));
  }

  private static String resource() throws IOException {
    try (InputStream in = LogIndexTemplate.class.getResourceAsStream("log-index-template.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
