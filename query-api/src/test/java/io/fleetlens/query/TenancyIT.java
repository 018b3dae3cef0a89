package io.fleetlens.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.fleetlens.core.logs.ContainerRef;
import io.fleetlens.core.logs.LogLevel;
import io.fleetlens.core.logs.LogOrigin;
import io.fleetlens.core.logs.LogRecord;
import io.fleetlens.core.logs.LogStream;
import io.fleetlens.core.metrics.Sample;
import io.fleetlens.storage.elasticsearch.ElasticsearchClients;
import io.fleetlens.storage.elasticsearch.ElasticsearchLogWriter;
import io.fleetlens.storage.elasticsearch.ElasticsearchSettings;
import io.fleetlens.storage.elasticsearch.LogIndexLayout;
import io.fleetlens.storage.elasticsearch.LogIndexTemplate;
import io.fleetlens.storage.elasticsearch.metrics.ElasticsearchSampleWriter;
import io.fleetlens.storage.elasticsearch.metrics.MetricIndexLayout;
import io.fleetlens.storage.elasticsearch.metrics.MetricIndices;
import io.fleetlens.testkit.ElasticsearchFixture;
import io.fleetlens.testkit.RealServers;

/**
 * Team A's token sees team A's clusters and nothing of team B's, through log search, PromQL
 * (crafted to reach further: every name, {@code or}, {@code label_replace}, subqueries) and the
 * label and series APIs, on real Elasticsearch; an admin sees both.
 */
@ExtendWith(RealServers.class)
class TenancyIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String ADMIN = "tenancy-admin-secret-0123456789";
  private static QueryApiMain api;
  private static String teamA;
  private static long now;

  @BeforeAll
  static void start(ElasticsearchFixture elasticsearch) throws Exception {
    ElasticsearchSettings settings = new ElasticsearchSettings(List.of(elasticsearch.httpUrl()), "tenancy", 1, 0, "1s",
        false);
    now = System.currentTimeMillis() / 1000 * 1000;
    try (ElasticsearchClient client = ElasticsearchClients.create(settings)) {
      LogIndexLayout layout = new LogIndexLayout("tenancy");
      LogIndexTemplate.install(client, settings, layout);
      List<LogRecord> records = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        String cluster = i % 2 == 0 ? "team-a-prod" : "team-b-prod";
        records.add(new LogRecord(cluster, "node-1", new ContainerRef(i % 2 == 0 ? "shop" : "pay", "pod-" + i, "uid",
            "app"), Instant.ofEpochMilli(now).minusSeconds(60 - i), LogStream.STDOUT, "secret order " + i, false,
            LogLevel.INFO, new LogOrigin("1:1", i * 10L)));
      }
      new ElasticsearchLogWriter(client, layout).write(records);
      client.indices().refresh(r -> r.index("tenancy-logs-*"));
      MetricIndexLayout metrics = new MetricIndexLayout("tenancy");
      ElasticsearchSampleWriter writer = ElasticsearchSampleWriter.visibleOnReturn(client, metrics,
          new MetricIndices(client, metrics, 1, 0, "1s"));
      List<Sample> samples = new ArrayList<>();
      for (int k = 0; k < 10; k++) {
        long t = now - (10 - k) * 30_000L;
        samples.add(sample("requests_total", t, k, "cluster", "team-a-prod", "namespace", "shop"));
        samples.add(sample("requests_total", t, k * 10, "cluster", "team-b-prod", "namespace", "pay", "secret_b", "x"));
        samples.add(sample("node_cpu", t, 4, "cluster", "team-b-prod"));
      }
      writer.write(samples);
    }
    Path tokenFile = Files.createTempFile("admin", ".token");
    tokenFile.toFile().deleteOnExit();
    Files.writeString(tokenFile, ADMIN);
    api = new QueryApiMain(new QueryApiConfig(new QueryApiConfig.Elasticsearch(List.of(elasticsearch.httpUrl()),
        "tenancy"), new QueryApiConfig.Promql(50_000_000, 100_000, 60_000, 300_000),
        new QueryApiConfig.Http("127.0.0.1", 0), QueryApiConfig.Database.inMemory("tenancy"),
        QueryApiConfig.Alerting.defaults().off(), new QueryApiConfig.Auth(true, tokenFile.toString()), QueryApiConfig.Limits.defaults()));
    HttpResponse<String> created = send("POST", "/api/v1/admin/tokens", ADMIN, "{\"name\": \"team-a\", \"roles\":"
        + " [\"logs:read\", \"metrics:read\"], \"tenants\": [{\"clusters\": \"team-a-.*\", \"namespaces\": \".*\"}]}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    teamA = JSON.readTree(created.body()).path("token").asText();
  }

  private static Sample sample(String name, long t, double v, String... labels) {
    Map<String, String> l = new TreeMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      l.put(labels[i], labels[i + 1]);
    }
    return new Sample(name, new TreeMap<>(l), t, v);
  }

  @AfterAll
  static void stop() throws Exception {
    if (api != null) {
      api.close();
    }
  }

  private static HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.httpPort() + path))
        .header("Authorization", "Bearer " + token)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(r.header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode get(String token, String path) throws Exception {
    HttpResponse<String> r = send("GET", path, token, null);
    assertThat(r.statusCode()).as(path + " -> " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static Set<String> clustersOf(String token, String promql) throws Exception {
    JsonNode result = get(token, "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
        + "&time=" + now / 1000).path("data").path("result");
    Set<String> clusters = new HashSet<>();
    result.forEach(r -> clusters.add(r.path("metric").path("cluster").asText()));
    return clusters;
  }

  @Test
  void teamASeesOnlyItsOwnLogLines() throws Exception {
    JsonNode hits = get(teamA, "/api/v1/logs?limit=100").path("hits");
    assertThat(hits).hasSize(10).allSatisfy(h -> assertThat(h.path("cluster").asText()).isEqualTo("team-a-prod"));
    assertThat(get(teamA, "/api/v1/logs?cluster=team-b-prod").path("hits")).isEmpty();
    assertThat(get(teamA, "/api/v1/logs?namespace=pay&q=secret").path("hits")).isEmpty();
    assertThat(get(ADMIN, "/api/v1/logs?limit=100").path("hits")).hasSize(20);
  }

  @Test
  void craftedPromqlNeverReachesTeamBsSeries() throws Exception {
    assertThat(clustersOf(teamA, "{__name__=~\".+\"}")).containsExactly("team-a-prod");
    assertThat(clustersOf(teamA, "requests_total or node_cpu")).containsExactly("team-a-prod");
    assertThat(clustersOf(teamA, "label_replace({cluster=\"team-b-prod\"}, \"cluster\", \"team-a-prod\", \"\", \"\")"))
        .isEmpty();
    assertThat(clustersOf(teamA, "max_over_time({cluster=~\".+\"}[10m:1m])")).containsExactly("team-a-prod");
    assertThat(clustersOf(teamA, "{secret_b=\"x\"}")).isEmpty();
    JsonNode sum = get(teamA, "/api/v1/query?query=" + URLEncoder.encode("sum(requests_total)", StandardCharsets.UTF_8)
        + "&time=" + now / 1000).path("data").path("result");
    assertThat(sum.get(0).path("value").get(1).asDouble()).as("only team A's counter").isEqualTo(9.0);
    assertThat(clustersOf(ADMIN, "{__name__=~\".+\"}")).containsExactlyInAnyOrder("team-a-prod", "team-b-prod");
  }

  @Test
  void labelAndSeriesApisShowOnlyTeamAsNamesAndValues() throws Exception {
    String range = "&start=" + (now / 1000 - 3600) + "&end=" + now / 1000;
    assertThat(get(teamA, "/api/v1/labels?x=1" + range).path("data").toString()).doesNotContain("secret_b");
    assertThat(get(teamA, "/api/v1/label/cluster/values?x=1" + range).path("data").toString())
        .isEqualTo("[\"team-a-prod\"]");
    assertThat(get(teamA, "/api/v1/label/__name__/values?x=1" + range).path("data").toString())
        .doesNotContain("node_cpu");
    JsonNode series = get(teamA, "/api/v1/series?match[]=" + URLEncoder.encode("{__name__=~\".+\"}",
        StandardCharsets.UTF_8) + range).path("data");
    assertThat(series).isNotEmpty().allSatisfy(s -> assertThat(s.path("cluster").asText()).isEqualTo("team-a-prod"));
    assertThat(get(ADMIN, "/api/v1/label/cluster/values?x=1" + range).path("data").toString()).contains("team-b-prod");
  }
}
