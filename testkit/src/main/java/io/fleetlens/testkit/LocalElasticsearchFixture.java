package io.fleetlens.testkit;

import java.nio.file.Path;


import io.fleetlens.devservers.FreePorts;
import io.fleetlens.devservers.LocalElasticsearch;

/** Elasticsearch from the Maven-resolved distribution, as a child process of the test JVM. */
final class LocalElasticsearchFixture implements ElasticsearchFixture, AutoCloseable {

  private final LocalElasticsearch node;

  private LocalElasticsearchFixture(LocalElasticsearch node) {
    this.node = node;
  }

  static LocalElasticsearchFixture launch(Path dir) {
    try {
      return new LocalElasticsearchFixture(LocalElasticsearch.prepare(dir, "node-0", true, "768m", FreePorts.next()).start());
    } catch (Exception e) {
      throw new IllegalStateException("could not start the local Elasticsearch", e);
    }
  }

  @Override
  public String httpUrl() {
    return node.httpUrl();
  }

  @Override
  public void stop() throws Exception {
    node.stop();
  }

  @Override
  public void start() throws Exception {
    node.start();
  }

  @Override
  public void close() throws Exception {
    node.close();
  }
}
