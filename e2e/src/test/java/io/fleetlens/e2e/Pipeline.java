package io.fleetlens.e2e;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

import io.fleetlens.aggregator.AggregatorConfig;
import io.fleetlens.aggregator.AggregatorMain;
import io.fleetlens.query.QueryApiConfig;
import io.fleetlens.query.QueryApiMain;
import io.fleetlens.testkit.ElasticsearchFixture;
import io.fleetlens.testkit.KafkaFixture;

/**
 * The whole log path for one test: a collector JVM tailing a pods folder, an aggregator and a
 * query API in this JVM, all on the shared real Kafka and Elasticsearch, with this test's own
 * topic, consumer group, index prefix and cluster name.
 */
final class Pipeline implements AutoCloseable {

  static final AggregatorConfig.Compaction NO_COMPACTION = new AggregatorConfig.Compaction(false, 3_600_000, 300_000,
      600_000);
  static final AggregatorConfig.Federation NO_FEDERATION = new AggregatorConfig.Federation(List.of(),
      List.of("{__name__=~\".+\"}"), "replica", 30_000, 10_000);

  final String name;
  final PodLogs pods;
  final CollectorProcess collector;
  final AggregatorMain aggregator;
  final QueryApiMain queryApi;
  final String topic;
  final String deadLetterTopic;
  final String kafkaBootstrapServers;

  Pipeline(String name, KafkaFixture kafka, ElasticsearchFixture elasticsearch, int maxLineBytes) throws Exception {
    this.name = name;
    Path work = Path.of("target", "e2e", name + "-" + System.nanoTime()).toAbsolutePath();
    this.pods = new PodLogs(work.resolve("pods"));
    this.topic = name + ".logs";
    this.kafkaBootstrapServers = kafka.bootstrapServers();
    this.deadLetterTopic = name + ".logs.dead-letter";
    this.aggregator = new AggregatorMain(new AggregatorConfig(
        new AggregatorConfig.Kafka(kafka.bootstrapServers(), topic, deadLetterTopic, name + ".metrics",
            name + ".metrics.dead-letter", name + "-aggregator", 2, 1, 500, 600_000, true, 3, (short) 1),
        new AggregatorConfig.Elasticsearch(List.of(elasticsearch.httpUrl()), name, 1, 0, "200ms", false),
        new AggregatorConfig.Retry(100, 2_000), new AggregatorConfig.Retention(0, 0, 3_600_000),
            Pipeline.NO_COMPACTION, new AggregatorConfig.AccessLogs(true, 1_000),
        NO_FEDERATION,
        new AggregatorConfig.Http("127.0.0.1", 0)));
    this.queryApi = new QueryApiMain(new QueryApiConfig(
        new QueryApiConfig.Elasticsearch(List.of(elasticsearch.httpUrl()), name),
        new QueryApiConfig.Promql(50_000_000, 100_000, 60_000, 300_000),
        new QueryApiConfig.Http("127.0.0.1", 0), QueryApiConfig.Database.inMemory("db"),
        QueryApiConfig.Alerting.defaults(), QueryApiConfig.Auth.off(), QueryApiConfig.Limits.defaults()));
    this.collector = new CollectorProcess(work.resolve("collector"), name, kafka.bootstrapServers(), topic,
        pods.root(), maxLineBytes);
  }

  String queryUrl() {
    return "http://127.0.0.1:" + queryApi.httpPort();
  }

  String aggregatorUrl() {
    return "http://127.0.0.1:" + aggregator.httpPort();
  }

  Http.Response search(Map<String, String> params) throws IOException, InterruptedException {
    String query = params.entrySet().stream()
        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    return Http.get(queryUrl() + "/api/v1/logs?" + query);
  }

  /** Every hit of this test's cluster from the last hour, through the API, page by page. */
  List<JsonNode> allHits() throws IOException, InterruptedException {
    List<JsonNode> hits = new ArrayList<>();
    String cursor = null;
    do {
      Map<String, String> params = cursor == null ? Map.of("cluster", name, "limit", "5000")
          : Map.of("cluster", name, "limit", "5000", "cursor", cursor);
      Http.Response response = search(params);
      if (response.status() != 200) {
        throw new IOException("search answered " + response.status() + ": " + response.body());
      }
      JsonNode page = response.json();
      page.get("hits").forEach(hits::add);
      cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
    } while (cursor != null);
    return hits;
  }

  List<String> allMessages() throws IOException, InterruptedException {
    return allHits().stream().map(h -> h.get("message").asText()).toList();
  }

  @Override
  public void close() throws Exception {
    collector.close();
    aggregator.close();
    queryApi.close();
  }
}
