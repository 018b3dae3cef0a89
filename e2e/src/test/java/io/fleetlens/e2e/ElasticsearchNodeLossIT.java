package io.fleetlens.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.fleetlens.aggregator.AggregatorConfig;
import io.fleetlens.aggregator.AggregatorMain;
import io.fleetlens.devservers.LocalElasticsearchCluster;
import io.fleetlens.query.QueryApiConfig;
import io.fleetlens.query.QueryApiMain;
import io.fleetlens.storage.elasticsearch.ElasticsearchClients;
import io.fleetlens.storage.elasticsearch.ElasticsearchSettings;
import io.fleetlens.testkit.KafkaFixture;
import io.fleetlens.testkit.RealServers;

/**
 * A node lost under load: a real three-node Elasticsearch cluster (three processes of the 9.5.2
 * distribution on loopback; indices of three shards with a replica each) takes the aggregator's
 * bulks while records flow; its elected master is stopped midway; the aggregator retries what the
 * lost node and the re-election refused, every record ends indexed once, and log search keeps
 * answering from the remaining copies all along. (The node goes once every shard has its replica:
 * a copy that only the lost node held would be lost with it, in Elasticsearch as anywhere.)
 */
@ExtendWith(RealServers.class)
class ElasticsearchNodeLossIT {

  private static final String NAME = "nodeloss";
  private static final int RECORDS = 12_000;

  @Test
  void stoppingTheMasterUnderLoadLosesNothingAndSearchesKeepAnswering(KafkaFixture kafka, @TempDir Path work)
      throws Exception {
    try (LocalElasticsearchCluster cluster = LocalElasticsearchCluster.start(
        Path.of("target", "testkit", "es-cluster").toAbsolutePath(), NAME, 3, "384m")) {
      AggregatorMain aggregator = new AggregatorMain(new AggregatorConfig(
          new AggregatorConfig.Kafka(kafka.bootstrapServers(), NAME + ".logs", NAME + ".logs.dead-letter",
              NAME + ".metrics", NAME + ".metrics.dead-letter", NAME + "-aggregator", 1, 1, 1_000, 600_000, true, 3,
              (short) 1),
          new AggregatorConfig.Elasticsearch(cluster.httpUrls(), NAME, 3, 1, "1s", false),
          new AggregatorConfig.Retry(100, 2_000), new AggregatorConfig.Retention(0, 0, 3_600_000),
          Pipeline.NO_COMPACTION, new AggregatorConfig.AccessLogs(false, 1_000), Pipeline.NO_FEDERATION,
          new AggregatorConfig.Http("127.0.0.1", 0)));
      QueryApiMain queryApi = new QueryApiMain(new QueryApiConfig(new QueryApiConfig.Elasticsearch(cluster.httpUrls(),
          NAME), new QueryApiConfig.Promql(50_000_000, 10_000, 60_000, 300_000), new QueryApiConfig.Http("127.0.0.1", 0),
          QueryApiConfig.Database.inMemory(NAME), QueryApiConfig.Alerting.defaults().off(), QueryApiConfig.Auth.off(),
          QueryApiConfig.Limits.defaults()));
      try (ElasticsearchClient client = ElasticsearchClients.create(new ElasticsearchSettings(cluster.httpUrls(), NAME,
          3, 1, "1s", false))) {
        AtomicInteger sent = new AtomicInteger();
        Thread load = new LogLoad(kafka.bootstrapServers(), NAME + ".logs", NAME, RECORDS, 30, 600)
            .start(sent);
        while (sent.get() < RECORDS / 3) {
          Thread.sleep(50);
        }
        // every shard has its replica before the node goes: a copy only on the lost node would be lost with it
        assertThat(client.cluster().health(h -> h.index(NAME + "-logs-*").waitForStatus(
            co.elastic.clients.elasticsearch._types.HealthStatus.Green).timeout(t -> t.time("60s"))).status())
            .isEqualTo(co.elastic.clients.elasticsearch._types.HealthStatus.Green);
        String master = client.cat().master().masters().getFirst().node();
        int lost = Integer.parseInt(master.substring(master.lastIndexOf('-') + 1));
        cluster.stop(lost);
        List<Integer> searches = new ArrayList<>();
        HttpClient http = HttpClient.newHttpClient();
        String search = "http://127.0.0.1:" + queryApi.httpPort() + "/api/v1/logs?limit=5&namespace=load";
        while (load.isAlive()) {
          searches.add(http.send(HttpRequest.newBuilder(URI.create(search)).build(),
              HttpResponse.BodyHandlers.discarding()).statusCode());
          Thread.sleep(500);
        }
        assertThat(sent.get()).isEqualTo(RECORDS);

        long deadline = System.currentTimeMillis() + 60_000;
        long indexed = 0;
        while (System.currentTimeMillis() < deadline && indexed < RECORDS) {
          Thread.sleep(1_000);
          client.indices().refresh(r -> r.index(NAME + "-logs-*"));
          indexed = client.count(c -> c.index(NAME + "-logs-*")).count();
        }
        if (indexed != RECORDS) {
          String live = cluster.httpUrls().get((lost + 1) % 3);
          for (String path : List.of("/_cluster/health?pretty", "/_cat/shards/" + NAME + "-logs-*?v",
              "/_cat/nodes?v")) {
            System.out.println(path + "\n" + http.send(HttpRequest.newBuilder(URI.create(live + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
          }
          System.out.println(Http.get("http://127.0.0.1:" + aggregator.httpPort() + "/metrics").body().lines()
              .filter(l -> l.startsWith("fleetlens_aggregator")).toList());
        }
        assertThat(indexed).as("every record indexed once after losing node " + master).isEqualTo(RECORDS);
        assertThat(searches).as("log search kept answering while the node was gone").isNotEmpty().containsOnly(200);
        String found = http.send(HttpRequest.newBuilder(URI.create(search)).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        assertThat(found).contains("\"namespace\":\"load\"");
        System.out.printf("node loss: %d records indexed once after stopping %s; %d searches answered 200%n",
            indexed, master, searches.size());
      } finally {
        queryApi.close();
        aggregator.close();
      }
    }
  }
}
