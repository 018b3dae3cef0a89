package io.fleetlens.testkit;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.testcontainers.elasticsearch.ElasticsearchContainer;

import io.fleetlens.devservers.ElasticsearchDistribution;

/**
 * Elasticsearch in a container, for machines with a Docker engine. An outage is a paused
 * container, so the address and the data survive it.
 */
final class ContainerElasticsearch implements ElasticsearchFixture, AutoCloseable {

  static final String IMAGE = "docker.elastic.co/elasticsearch/elasticsearch:" + ElasticsearchDistribution.VERSION;

  private final ElasticsearchContainer container;

  private ContainerElasticsearch(ElasticsearchContainer container) {
    this.container = container;
  }

  static ContainerElasticsearch launch() {
    ElasticsearchContainer container = new ElasticsearchContainer(IMAGE)
        .withEnv("xpack.security.enabled", "false")
        .withEnv("ES_JAVA_OPTS", "-Xms768m -Xmx768m");
    container.start();
    return new ContainerElasticsearch(container);
  }

  @Override
  public String httpUrl() {
    return "http://" + container.getHttpHostAddress();
  }

  @Override
  public void stop() {
    container.getDockerClient().pauseContainerCmd(container.getContainerId()).exec();
  }

  @Override
  public void start() throws Exception {
    container.getDockerClient().unpauseContainerCmd(container.getContainerId()).exec();
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest health = HttpRequest.newBuilder(
        URI.create(httpUrl() + "/_cluster/health?wait_for_status=yellow&timeout=30s"))
        .timeout(Duration.ofSeconds(40)).build();
    http.send(health, HttpResponse.BodyHandlers.discarding());
  }

  @Override
  public void close() {
    container.stop();
  }
}
