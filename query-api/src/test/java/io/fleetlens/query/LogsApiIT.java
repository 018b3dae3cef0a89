package io.fleetlens.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
import io.fleetlens.storage.elasticsearch.ElasticsearchClients;
import io.fleetlens.storage.elasticsearch.ElasticsearchLogWriter;
import io.fleetlens.storage.elasticsearch.ElasticsearchSettings;
import io.fleetlens.storage.elasticsearch.LogIndexLayout;
import io.fleetlens.storage.elasticsearch.LogIndexTemplate;
import io.fleetlens.testkit.ElasticsearchFixture;
import io.fleetlens.testkit.RealServers;

@ExtendWith(RealServers.class)
class LogsApiIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static QueryApiMain api;

  @BeforeAll
  static void indexSomeLinesAndStartTheApi(ElasticsearchFixture elasticsearch) throws Exception {
    ElasticsearchSettings settings = new ElasticsearchSettings(List.of(elasticsearch.httpUrl()), "api-it", 1, 0, "1s", false);
    LogIndexLayout layout = new LogIndexLayout("api-it");
    try (ElasticsearchClient client = ElasticsearchClients.create(settings)) {
      LogIndexTemplate.install(client, settings, layout);
      List<LogRecord> records = new ArrayList<>();
      Instant now = Instant.now();
      for (int i = 0; i < 30; i++) {
        boolean error = i % 3 == 0;
        LogRecord record = new LogRecord("prod-eu", "node-1", new ContainerRef(i < 20 ? "shop" : "billing",
            "pod-" + (i % 2), "uid", "app"), now.minusSeconds(60 - i), error ? LogStream.STDERR : LogStream.STDOUT,
            (error ? "ERROR payment failed for order " : "order placed ") + i, false,
            error ? LogLevel.ERROR : LogLevel.INFO, new LogOrigin("1:1", i * 10L));
        if (i >= 20) {
          record = record.withPod(new io.fleetlens.core.pods.PodMetadata(
              java.util.Map.of("app.kubernetes.io/name", "billing", "tier", "backend"), java.util.Map.of("team", "money"),
              new io.fleetlens.core.pods.Workload("Deployment", "billing")))
              .withFields(java.util.Map.of("order", Integer.toString(i)));
        }
        records.add(record);
      }
      new ElasticsearchLogWriter(client, layout).write(records);
      client.indices().refresh(r -> r.index("api-it-logs-*"));
    }
    api = new QueryApiMain(new QueryApiConfig(new QueryApiConfig.Elasticsearch(List.of(elasticsearch.httpUrl()), "api-it"),
        new QueryApiConfig.Promql(50_000_000, 100_000, 60_000, 300_000), new QueryApiConfig.Http("127.0.0.1", 0), QueryApiConfig.Database.inMemory("db"),
        withRuleFile(QueryApiConfig.Alerting.defaults()), QueryApiConfig.Auth.off(), QueryApiConfig.Limits.defaults()));
  }

  @AfterAll
  static void stop() throws Exception {
    api.close();
  }

  private static HttpResponse<String> get(String pathAndQuery) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.httpPort() + pathAndQuery)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(String pathAndQuery) throws Exception {
    HttpResponse<String> response = get(pathAndQuery);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
    return JSON.readTree(response.body());
  }

  private static QueryApiConfig.Alerting withRuleFile(QueryApiConfig.Alerting a) throws Exception {
    java.nio.file.Path file = java.nio.file.Files.createTempFile("rules", ".yaml");
    java.nio.file.Files.writeString(file, "groups:\n  - name: from-file\n    rules:\n      - alert: Up\n        expr: up\n");
    file.toFile().deleteOnExit();
    return new QueryApiConfig.Alerting(a.enabled(), a.tickMs(), a.defaultIntervalMs(), a.leaseMs(), a.instance(),
        a.resolvedRetentionMs(), a.deliveryPaused(), a.retryInitialMs(), a.retryMaxMs(), a.maxAttempts(),
        a.externalUrl(), a.externalLabels(), List.of(file.toString()));
  }

  @Test
  void ruleFilesFromTheConfigurationAreLoadedAtStart() throws Exception {
    JsonNode groups = json("/api/v1/rules/groups").path("groups");
    assertThat(groups).anySatisfy(g -> assertThat(g.path("name").asText()).isEqualTo("from-file"));
  }

  @Test
  void aLogRuleFiresWhenMoreLinesThanItsThresholdMatchInItsWindow() throws Exception {
    HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.httpPort()
        + "/api/v1/rules/groups/payments-logs")).header("Content-Type", "application/yaml")
        .PUT(HttpRequest.BodyPublishers.ofString("""
            name: payments-logs
            rules:
              - alert: PaymentErrors
                logs: {cluster: prod-eu, level: error, q: payment}
                threshold: 5
                window: 5m
                annotations: {summary: "{{ $value }} payment errors in 5m"}
              - alert: PaymentErrorStorm
                logs: {cluster: prod-eu, level: error, q: payment}
                threshold: 50
                window: 5m
            """)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    api.alerting().evaluate("payments-logs", System.currentTimeMillis());
    JsonNode alerts = json("/api/v1/alerts").path("data").path("alerts");
    assertThat(alerts).singleElement().satisfies(a -> {
      assertThat(a.path("labels").path("alertname").asText()).isEqualTo("PaymentErrors");
      assertThat(a.path("value").asText()).isEqualTo("1e+01");
      assertThat(a.path("annotations").path("summary").asText()).isEqualTo("10 payment errors in 5m");
    });
  }

  @Test
  void aLogRuleWithAFilterTheLogApiRefusesIsRefused() throws Exception {
    HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.httpPort()
        + "/api/v1/rules/groups/bad-logs")).header("Content-Type", "application/yaml")
        .PUT(HttpRequest.BodyPublishers.ofString(
            "name: bad-logs\nrules:\n  - alert: L\n    logs: {level: loud}\n    threshold: 1\n    window: 1m\n"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(refused.body()).path("message").asText())
        .startsWith("group \"bad-logs\", rule \"L\": logs: level: must be one of");
  }

  @Test
  void textAndFiltersFindTheMatchingLinesNewestFirst() throws Exception {
    JsonNode page = json("/api/v1/logs?q=" + URLEncoder.encode("payment failed", StandardCharsets.UTF_8)
        + "&namespace=shop&stream=stderr&level=error");
    List<String> messages = new ArrayList<>();
    page.get("hits").forEach(h -> messages.add(h.get("message").asText()));
    assertThat(messages).containsExactly("ERROR payment failed for order 18", "ERROR payment failed for order 15",
        "ERROR payment failed for order 12", "ERROR payment failed for order 9", "ERROR payment failed for order 6",
        "ERROR payment failed for order 3", "ERROR payment failed for order 0");
    JsonNode first = page.get("hits").get(0);
    assertThat(first.get("cluster").asText()).isEqualTo("prod-eu");
    assertThat(first.get("namespace").asText()).isEqualTo("shop");
    assertThat(first.get("container").asText()).isEqualTo("app");
    assertThat(first.get("level").asText()).isEqualTo("error");
    assertThat(page.get("nextCursor").isNull()).isTrue();
  }

  @Test
  void podLabelsWorkloadsAndJsonFieldsFilterAndComeBackWithEachHit() throws Exception {
    JsonNode page = json("/api/v1/logs?workload=billing&label.app.kubernetes.io/name=billing&label.tier=backend");
    assertThat(page.get("hits")).hasSize(10);
    JsonNode first = page.get("hits").get(0);
    assertThat(first.get("workload").get("kind").asText()).isEqualTo("Deployment");
    assertThat(first.get("labels").get("app.kubernetes.io/name").asText()).isEqualTo("billing");
    assertThat(first.get("annotations").get("team").asText()).isEqualTo("money");
    assertThat(first.get("fields").get("order").asText()).isEqualTo("29");
    assertThat(json("/api/v1/logs?field.order=25").get("hits")).hasSize(1);
    assertThat(json("/api/v1/logs?label.tier=frontend").get("hits")).isEmpty();
    assertThat(json("/api/v1/logs?namespace=shop").get("hits").get(0).has("labels")).isFalse();
  }

  @Test
  void cursorWalksEveryLineOnce() throws Exception {
    Set<String> seen = new HashSet<>();
    String next = "/api/v1/logs?limit=7";
    int pages = 0;
    while (next != null) {
      JsonNode page = json(next);
      page.get("hits").forEach(h -> assertThat(seen.add(h.get("id").asText())).isTrue());
      pages++;
      next = page.get("nextCursor").isNull() ? null : "/api/v1/logs?limit=7&cursor=" + page.get("nextCursor").asText();
    }
    assertThat(seen).hasSize(30);
    assertThat(pages).isEqualTo(5);
  }

  @Test
  void badParametersGet400WithAJsonBodyNamingThem() throws Exception {
    for (String[] bad : new String[][] {{"limit=lots", "limit"}, {"limit=9999", "limit"}, {"start=yesterday", "start"},
        {"stream=stdlog", "stream"}, {"level=loud", "level"}, {"cursor=bm9wZQ", "cursor"},
        {"label.=x", "label."}, {"label.app=a&label.app=b", "label.app"}, {"field.status=", "field.status"}}) {
      HttpResponse<String> response = get("/api/v1/logs?" + bad[0]);
      assertThat(response.statusCode()).as(bad[0]).isEqualTo(400);
      JsonNode body = JSON.readTree(response.body());
      assertThat(body.get("error").asText()).isEqualTo("bad_parameter");
      assertThat(body.get("parameter").asText()).isEqualTo(bad[1]);
      assertThat(body.get("message").asText()).startsWith(bad[1] + ": ");
    }
  }

  @Test
  void unknownPathsGet404InJson() throws Exception {
    HttpResponse<String> response = get("/api/v1/nothing");
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(response.body()).get("error").asText()).isEqualTo("not_found");
  }

  @Test
  void operationalEndpointsAnswer() throws Exception {
    assertThat(get("/healthz").statusCode()).isEqualTo(200);
    HttpResponse<String> ready = get("/readyz");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(ready.body()).get("checks").get("elasticsearch").asText()).isEqualTo("up");
    get("/api/v1/logs");
    assertThat(get("/metrics").body()).contains("fleetlens_query_http_requests_seconds_count{app=\"query-api\"");
  }

  @Test
  void theHistogramCountsTheSearchPerIntervalSplitByAField() throws Exception {
    long now = Instant.now().getEpochSecond();
    String range = "&start=" + (now - 300) + "&end=" + (now + 5);
    JsonNode byLevel = json("/api/v1/logs/histogram?cluster=prod-eu&interval=10s" + range);
    assertThat(byLevel.path("by").asText()).isEqualTo("level");
    assertThat(byLevel.path("intervalMs").asLong()).isEqualTo(10_000);
    long total = 0;
    java.util.Map<String, Long> levels = new java.util.TreeMap<>();
    for (JsonNode bucket : byLevel.path("buckets")) {
      assertThat(Instant.parse(bucket.path("start").asText()).toEpochMilli() % 10_000).isZero();
      total += bucket.path("total").asLong();
      bucket.path("counts").properties().forEach(e -> levels.merge(e.getKey(), e.getValue().asLong(), Long::sum));
    }
    assertThat(total).isEqualTo(30);
    assertThat(levels).containsExactly(java.util.Map.entry("error", 10L), java.util.Map.entry("info", 20L));

    java.util.Map<String, Long> namespaces = new java.util.TreeMap<>();
    json("/api/v1/logs/histogram?cluster=prod-eu&q=payment&by=namespace&interval=1m" + range).path("buckets")
        .forEach(b -> b.path("counts").properties().forEach(e -> namespaces.merge(e.getKey(), e.getValue().asLong(),
            Long::sum)));
    assertThat(namespaces).containsExactly(java.util.Map.entry("billing", 3L), java.util.Map.entry("shop", 7L));

    JsonNode unsplit = json("/api/v1/logs/histogram?cluster=prod-eu&by=&interval=1h" + range);
    assertThat(unsplit.path("by").isNull()).isTrue();
    assertThat(unsplit.path("buckets").get(0).path("counts").size()).isZero();

    HttpResponse<String> bad = get("/api/v1/logs/histogram?cluster=prod-eu&by=colour" + range);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("\"by\"");
    HttpResponse<String> tooFine = get("/api/v1/logs/histogram?cluster=prod-eu&interval=1ms" + range);
    assertThat(tooFine.statusCode()).isEqualTo(400);
  }

  @Test
  void contextIsTheLinesAroundAHitInItsContainerAndStreamInOrder() throws Exception {
    JsonNode hits = json("/api/v1/logs?cluster=prod-eu&namespace=shop&pod=pod-0&stream=stdout&limit=100")
        .path("hits");
    String id = null;
    for (JsonNode hit : hits) {
      if (hit.path("message").asText().equals("order placed 8")) {
        id = hit.path("id").asText();
      }
    }
    assertThat(id).isNotNull();
    JsonNode context = json("/api/v1/logs/context?id=" + java.net.URLEncoder.encode(id,
        java.nio.charset.StandardCharsets.UTF_8) + "&before=2&after=2");
    assertThat(context.path("hit").path("message").asText()).isEqualTo("order placed 8");
    List<String> before = new ArrayList<>();
    context.path("before").forEach(h -> before.add(h.path("message").asText()));
    List<String> after = new ArrayList<>();
    context.path("after").forEach(h -> after.add(h.path("message").asText()));
    assertThat(before).containsExactly("order placed 2", "order placed 4");
    assertThat(after).containsExactly("order placed 10", "order placed 14");

    HttpResponse<String> unknown = get("/api/v1/logs/context?id=no-such-record");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("not_found");
    assertThat(get("/api/v1/logs/context").statusCode()).isEqualTo(400);
  }
}
