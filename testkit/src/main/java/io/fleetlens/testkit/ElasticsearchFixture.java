package io.fleetlens.testkit;

/** A real Elasticsearch node shared by every test in this JVM. */
public interface ElasticsearchFixture {

  /** Base URL of the HTTP API, such as {@code http://127.0.0.1:9200}. */
  String httpUrl();

  /** Takes the node away, keeping its data, as an outage would. */
  void stop() throws Exception;

  /** Brings the node back at the same address with the same data, and waits until it is healthy. */
  void start() throws Exception;
}
