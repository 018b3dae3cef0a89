package io.fleetlens.devservers;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A real Elasticsearch cluster of several nodes, each its own process of the distribution on
 * loopback, all master-eligible, so one can be stopped while the others keep the cluster: how
 * tests rehearse a node loss.
 */
public final class LocalElasticsearchCluster implements AutoCloseable {

  private final List<LocalElasticsearch> nodes;
  private final boolean[] stopped;

  private LocalElasticsearchCluster(List<LocalElasticsearch> nodes) {
    this.nodes = nodes;
    this.stopped = new boolean[nodes.size()];
  }

  /** Starts {@code count} fresh nodes under {@code workDir} and waits until all have joined. */
  public static LocalElasticsearchCluster start(Path workDir, String clusterName, int count, String heap)
      throws IOException, InterruptedException {
    workDir = workDir.toAbsolutePath();
    List<String> names = IntStream.range(0, count).mapToObj(i -> clusterName + "-" + i).toList();
    List<Integer> transport = IntStream.range(0, count).mapToObj(i -> FreePorts.next()).toList();
    LocalElasticsearch.Membership membership = new LocalElasticsearch.Membership(clusterName, names, transport);
    List<LocalElasticsearch> nodes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      nodes.add(LocalElasticsearch.prepareMember(workDir, names.get(i), heap, transport.get(i), membership));
    }
    LocalElasticsearchCluster cluster = new LocalElasticsearchCluster(nodes);
    try {
      for (LocalElasticsearch node : nodes) {
        node.launchProcess();
      }
      for (LocalElasticsearch node : nodes) {
        node.awaitHealthy(Duration.ofMinutes(4));
      }
      cluster.awaitNodes(count, Duration.ofMinutes(2));
    } catch (IOException | InterruptedException | RuntimeException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /** Every node's HTTP URL, stopped ones too (clients find out and skip them). */
  public List<String> httpUrls() {
    return nodes.stream().map(LocalElasticsearch::httpUrl).toList();
  }

  /** Stops node {@code i} (SIGTERM), as a node lost to maintenance or a crash looks to the others. */
  public synchronized void stop(int i) throws InterruptedException {
    nodes.get(i).stop();
    stopped[i] = true;
  }

  private void awaitNodes(int count, Duration timeout) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest health = HttpRequest.newBuilder(URI.create(nodes.getFirst().httpUrl()
        + "/_cluster/health?wait_for_nodes=" + count + "&timeout=5s")).timeout(Duration.ofSeconds(10)).build();
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
        return;
      }
    }
    throw new IOException("the cluster did not gather " + count + " nodes in " + timeout);
  }

  @Override
  public synchronized void close() throws InterruptedException {
    for (int i = 0; i < nodes.size(); i++) {
      if (!stopped[i]) {
        nodes.get(i).close();
      }
    }
  }
}
