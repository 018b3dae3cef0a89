package io.fleetlens.query.loki;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
import io.fleetlens.core.pods.PodMetadata;
import io.fleetlens.core.pods.Workload;
import io.fleetlens.query.QueryApiConfig;
import io.fleetlens.query.QueryApiMain;
import io.fleetlens.storage.elasticsearch.ElasticsearchClients;
import io.fleetlens.storage.elasticsearch.ElasticsearchLogWriter;
import io.fleetlens.storage.elasticsearch.ElasticsearchSettings;
import io.fleetlens.storage.elasticsearch.LogIndexLayout;
import io.fleetlens.storage.elasticsearch.LogIndexTemplate;
import io.fleetlens.testkit.ElasticsearchFixture;
import io.fleetlens.testkit.RealServers;

/** The Loki API over lines stored in the real Elasticsearch, answered in the shapes Grafana's Loki data source reads. */
@ExtendWith(RealServers.class)
class LokiApiIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String ADMIN = "flt_loki-it-admin-token-0123456789";
  private static QueryApiMain api;
  private static QueryApiMain guarded;
  private static long startSeconds;
  private static ElasticsearchSettings settings;
  private static LogIndexLayout layout;
  private static long endSeconds;

  @BeforeAll
  static void indexLinesAndStartTheApi(ElasticsearchFixture elasticsearch) throws Exception {
    settings = new ElasticsearchSettings(List.of(elasticsearch.httpUrl()), "loki-it", 1, 0, "1s", false);
    layout = new LogIndexLayout("loki-it");
    Instant now = Instant.now();
    startSeconds = now.getEpochSecond() - 120;
    endSeconds = now.getEpochSecond() + 1;
    try (ElasticsearchClient client = ElasticsearchClients.create(settings)) {
      LogIndexTemplate.install(client, settings, layout);
      List<LogRecord> records = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        Instant t = now.minusSeconds(60 - i);
        records.add(new LogRecord("prod-eu", "node-1", new ContainerRef("shop", "cart-" + (i % 2), "uid", "app"), t,
            LogStream.STDOUT, "{\"status\":" + (i % 10 == 0 ? 500 : 200) + ",\"path\":\"/api/cart\",\"took\":\""
            + i + "ms\"}", false, i % 10 == 0 ? LogLevel.ERROR : LogLevel.INFO, new LogOrigin("1:1", i * 100L))
            .withPod(new PodMetadata(Map.of("app.kubernetes.io/name", "cart"), Map.of(),
                new Workload("Deployment", "cart"))));
        records.add(new LogRecord("prod-eu", "node-1", new ContainerRef("billing", "ledger-0", "uid2", "ledger"), t,
            LogStream.STDERR, "level=warn msg=\"checkout failed\" order=" + i, false, LogLevel.WARN,
            new LogOrigin("2:1", i * 100L)).withFields(Map.of("order", Integer.toString(i))));
      }
      new ElasticsearchLogWriter(client, layout).write(records);
      client.indices().refresh(r -> r.index("loki-it-logs-*"));
    }
    api = new QueryApiMain(new QueryApiConfig(new QueryApiConfig.Elasticsearch(List.of(elasticsearch.httpUrl()),
        "loki-it"), new QueryApiConfig.Promql(50_000_000, 100_000, 60_000, 300_000),
        new QueryApiConfig.Http("127.0.0.1", 0), QueryApiConfig.Database.inMemory("loki"),
        QueryApiConfig.Alerting.defaults(), QueryApiConfig.Auth.off(), QueryApiConfig.Limits.defaults()));
    java.nio.file.Path tokenFile = java.nio.file.Files.createTempFile("admin", ".token");
    tokenFile.toFile().deleteOnExit();
    java.nio.file.Files.writeString(tokenFile, ADMIN);
    guarded = new QueryApiMain(new QueryApiConfig(new QueryApiConfig.Elasticsearch(List.of(elasticsearch.httpUrl()),
        "loki-it"), new QueryApiConfig.Promql(50_000_000, 100_000, 60_000, 300_000),
        new QueryApiConfig.Http("127.0.0.1", 0), QueryApiConfig.Database.inMemory("loki-guarded"),
        QueryApiConfig.Alerting.defaults().off(), new QueryApiConfig.Auth(true, tokenFile.toString()),
        QueryApiConfig.Limits.defaults()));
  }

  @AfterAll
  static void stop() throws Exception {
    api.close();
    guarded.close();
  }

  @Test
  void aTokenLimitedToOneNamespaceReadsOnlyThatNamespaceThroughTheLokiApi() throws Exception {
    HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + guarded.httpPort() + "/api/v1/admin/tokens")).header("Authorization", "Bearer " + ADMIN)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"billing\","
            + " \"roles\": [\"logs:read\"], \"tenants\": [{\"clusters\": \".*\", \"namespaces\": \"billing\"}]}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String token = JSON.readTree(created.body()).path("token").asText();
    java.util.function.Function<String, JsonNode> asBilling = pathAndQuery -> {
      try {
        return ok(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + guarded.httpPort() + pathAndQuery))
            .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    };
    String everything = URLEncoder.encode("{namespace=~\".+\"}", StandardCharsets.UTF_8);
    JsonNode streams = asBilling.apply("/loki/api/v1/query_range?query=" + everything + range() + "&limit=1000");
    assertThat(streams.path("result").size()).isPositive();
    streams.path("result").forEach(s -> assertThat(s.path("stream").path("namespace").asText()).isEqualTo("billing"));
    JsonNode counted = asBilling.apply("/loki/api/v1/query?query=" + URLEncoder.encode(
        "sum(count_over_time({namespace=~\".+\"}[5m]))", StandardCharsets.UTF_8) + "&time=" + endSeconds);
    assertThat(counted.path("result").get(0).path("value").get(1).asText()).isEqualTo("60");
    assertThat(asBilling.apply("/loki/api/v1/label/namespace/values?start=" + startSeconds + "&end=" + endSeconds)
        .toString()).isEqualTo("[\"billing\"]");
    assertThat(asBilling.apply("/loki/api/v1/labels?start=" + startSeconds + "&end=" + endSeconds).toString())
        .doesNotContain("app_kubernetes_io_name");
  }

  private static HttpResponse<String> get(String path, String query, String more) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.httpPort() + path + "?query="
        + URLEncoder.encode(query, StandardCharsets.UTF_8) + more)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode ok(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.path("status").asText()).isEqualTo("success");
    return body.path("data");
  }

  private static String range() {
    return "&start=" + startSeconds + "000000000&end=" + endSeconds + "000000000";
  }

  @Test
  void aLogQueryAnswersStreamsWithNanosecondTimestampsNewestFirstWithinTheLimit() throws Exception {
    JsonNode data = ok(get("/loki/api/v1/query_range", "{namespace=\"shop\"}", range() + "&limit=5&direction=backward"));
    assertThat(data.path("resultType").asText()).isEqualTo("streams");
    List<Long> times = new ArrayList<>();
    for (JsonNode stream : data.path("result")) {
      assertThat(stream.path("stream").path("namespace").asText()).isEqualTo("shop");
      assertThat(stream.path("stream").path("app_kubernetes_io_name").asText()).isEqualTo("cart");
      assertThat(stream.path("stream").path("workload").asText()).isEqualTo("cart");
      for (JsonNode value : stream.path("values")) {
        assertThat(value.get(0).isTextual()).isTrue();
        times.add(Long.parseLong(value.get(0).asText()));
      }
    }
    assertThat(times).hasSize(5);
    assertThat(times.stream().mapToLong(Long::longValue).max().orElseThrow())
        .isGreaterThan((endSeconds - 3) * 1_000_000_000L);
    JsonNode forward = ok(get("/loki/api/v1/query_range", "{namespace=\"shop\"}", range() + "&limit=3&direction=forward"));
    long first = Long.parseLong(forward.path("result").get(0).path("values").get(0).get(0).asText());
    assertThat(first).isLessThan((startSeconds + 65) * 1_000_000_000L);
  }

  @Test
  void pipelinesParseFilterAndFormatStoredLines() throws Exception {
    JsonNode data = ok(get("/loki/api/v1/query_range", "{namespace=\"shop\", pod=~\"cart-.*\"} |= \"status\" | json"
        + " | status >= 500 | line_format \"{{.status}} {{.path}}\"", range() + "&limit=100"));
    int lines = 0;
    for (JsonNode stream : data.path("result")) {
      assertThat(stream.path("stream").path("status").asText()).isEqualTo("500");
      for (JsonNode value : stream.path("values")) {
        assertThat(value.get(1).asText()).isEqualTo("500 /api/cart");
        lines++;
      }
    }
    assertThat(lines).isEqualTo(6);
    JsonNode logfmt = ok(get("/loki/api/v1/query_range", "{namespace=\"billing\"} | logfmt | order > 55", range()));
    assertThat(logfmt.path("result").size()).isEqualTo(4);
  }

  @Test
  void metricQueriesAnswerMatricesOverARangeAndVectorsAtAnInstant() throws Exception {
    JsonNode matrix = ok(get("/loki/api/v1/query_range", "sum by (level) (count_over_time({cluster=\"prod-eu\"}[2m]))",
        range() + "&step=60"));
    assertThat(matrix.path("resultType").asText()).isEqualTo("matrix");
    List<String> levels = new ArrayList<>();
    matrix.path("result").forEach(s -> levels.add(s.path("metric").path("level").asText()));
    assertThat(levels).containsExactlyInAnyOrder("error", "info", "warn");
    JsonNode vector = ok(get("/loki/api/v1/query", "sum(count_over_time({namespace=\"billing\"}[5m]))",
        "&time=" + endSeconds));
    assertThat(vector.path("resultType").asText()).isEqualTo("vector");
    assertThat(vector.path("result").get(0).path("value").get(1).asText()).isEqualTo("60");
  }

  @Test
  void formBodiesAreReadAsGrafanaPostsThem() throws Exception {
    String form = "query=" + URLEncoder.encode("sum(count_over_time({namespace=\"billing\"}[5m]))", StandardCharsets.UTF_8)
        + "&time=" + endSeconds;
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.httpPort()
            + "/loki/api/v1/query")).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(ok(response).path("result").get(0).path("value").get(1).asText()).isEqualTo("60");
  }

  @Test
  void badQueriesGet400WithLokisTextAndTheServiceKeepsServing() throws Exception {
    HttpResponse<String> syntax = get("/loki/api/v1/query_range", "{namespace=\"shop\"} |= ", range());
    assertThat(syntax.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(syntax.body()).path("message").asText())
        .startsWith("parse error at line 1, col 23: syntax error: unexpected end of input");
    HttpResponse<String> instantLogs = get("/loki/api/v1/query", "{namespace=\"shop\"}", "");
    assertThat(instantLogs.statusCode()).isEqualTo(400);
    assertThat(instantLogs.body()).contains("log queries are not supported as an instant query type");
    HttpResponse<String> errors = get("/loki/api/v1/query", "sum(count_over_time({cluster=\"prod-eu\"} | json [5m]))",
        "&time=" + endSeconds);
    assertThat(errors.statusCode()).isEqualTo(400);
    assertThat(errors.body()).contains("pipeline error: 'JSONParserErr'");
    ok(get("/loki/api/v1/query_range", "{namespace=\"shop\"}", range()));
  }

  private static JsonNode labels(String pathAndQuery) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.httpPort()
        + pathAndQuery)).build(), HttpResponse.BodyHandlers.ofString());
    return ok(response);
  }

  @Test
  void labelNamesAndValuesAreThoseOfTheStoredLinesStreams() throws Exception {
    String range = "start=" + startSeconds + "&end=" + endSeconds;
    List<String> names = new ArrayList<>();
    labels("/loki/api/v1/labels?" + range).forEach(n -> names.add(n.asText()));
    assertThat(names).contains("cluster", "namespace", "pod", "container", "node", "stream", "level", "workload",
        "app_kubernetes_io_name").doesNotContain("order");
    assertThat(labels("/loki/api/v1/label/namespace/values?" + range).toString()).isEqualTo("[\"billing\",\"shop\"]");
    assertThat(labels("/loki/api/v1/label/pod/values?" + range + "&query="
        + URLEncoder.encode("{namespace=\"shop\"}", StandardCharsets.UTF_8)).toString())
        .isEqualTo("[\"cart-0\",\"cart-1\"]");
    assertThat(labels("/loki/api/v1/label/app_kubernetes_io_name/values?" + range).toString()).isEqualTo("[\"cart\"]");
    List<String> billing = new ArrayList<>();
    labels("/loki/api/v1/labels?" + range + "&query=" + URLEncoder.encode("{namespace=\"billing\"}",
        StandardCharsets.UTF_8)).forEach(n -> billing.add(n.asText()));
    assertThat(billing).doesNotContain("app_kubernetes_io_name", "workload");
  }

  @Test
  void seriesAreTheDistinctStreamsOfEachSelector() throws Exception {
    JsonNode series = labels("/loki/api/v1/series?start=" + startSeconds + "&end=" + endSeconds + "&match[]="
        + URLEncoder.encode("{namespace=\"shop\"}", StandardCharsets.UTF_8) + "&match[]="
        + URLEncoder.encode("{pod=\"ledger-0\"}", StandardCharsets.UTF_8));
    List<String> pods = new ArrayList<>();
    series.forEach(s -> pods.add(s.path("pod").asText() + "/" + s.path("level").asText()));
    assertThat(pods).containsExactlyInAnyOrder("cart-0/error", "cart-0/info", "cart-1/info", "ledger-0/warn");
    series.forEach(s -> assertThat(s.has("order")).isFalse());
  }

  /** A WebSocket client that keeps every text message. */
  private static final class Messages implements java.net.http.WebSocket.Listener {
    final java.util.concurrent.BlockingQueue<String> received = new java.util.concurrent.LinkedBlockingQueue<>();
    final java.util.concurrent.CompletableFuture<String> closed = new java.util.concurrent.CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();

    @Override
    public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        received.add(partial.toString());
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public java.util.concurrent.CompletionStage<?> onClose(java.net.http.WebSocket ws, int status, String reason) {
      closed.complete(status + " " + reason);
      return null;
    }
  }

  private static Messages tail(String query, Messages messages) throws Exception {
    HTTP.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + api.httpPort() + "/loki/api/v1/tail?query="
        + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&start=" + Instant.now().toEpochMilli() + "000000"),
        messages).get(10, java.util.concurrent.TimeUnit.SECONDS);
    return messages;
  }

  @Test
  void liveTailSendsEachNewLineOnceInOrderToEveryClientOfTheQuery() throws Exception {
    String query = "{namespace=\"tailing\"} |= \"tick\"";
    Messages first = tail(query, new Messages());
    Messages second = tail(query, new Messages());
    Thread.sleep(1_500);
    try (ElasticsearchClient client = ElasticsearchClients.create(settings)) {
      List<LogRecord> records = new ArrayList<>();
      Instant t = Instant.now();
      for (int i = 0; i < 20; i++) {
        records.add(new LogRecord("prod-eu", "node-1", new ContainerRef("tailing", "clock-0", "uid3", "app"),
            t.plusMillis(i), LogStream.STDOUT, (i % 2 == 0 ? "tick " : "tock ") + i, false, LogLevel.INFO,
            new LogOrigin("3:1", i * 10L)));
      }
      new ElasticsearchLogWriter(client, layout).write(records);
      client.indices().refresh(r -> r.index("loki-it-logs-*"));
    }
    for (Messages client : List.of(first, second)) {
      List<String> lines = new ArrayList<>();
      long deadline = System.nanoTime() + 15_000_000_000L;
      while (lines.size() < 10 && System.nanoTime() < deadline) {
        String message = client.received.poll(1, java.util.concurrent.TimeUnit.SECONDS);
        if (message != null) {
          for (JsonNode stream : JSON.readTree(message).path("streams")) {
            assertThat(stream.path("stream").path("pod").asText()).isEqualTo("clock-0");
            stream.path("values").forEach(v -> lines.add(v.get(1).asText()));
          }
        }
      }
      assertThat(lines).containsExactly("tick 0", "tick 2", "tick 4", "tick 6", "tick 8", "tick 10", "tick 12",
          "tick 14", "tick 16", "tick 18");
      String more = client.received.poll(2, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(more).as("a line sent twice").isNull();
    }
  }

  @Test
  void aBadTailQueryClosesTheSocketWithTheReason() throws Exception {
    Messages messages = tail("{namespace=\"x\"} |= ", new Messages());
    assertThat(messages.closed.get(10, java.util.concurrent.TimeUnit.SECONDS)).startsWith("1008 parse error at line 1");
    assertThat(messages.received.poll(1, java.util.concurrent.TimeUnit.SECONDS)).contains("syntax error");
  }

  @Test
  void buildInfoSaysWhatGrafanaAsks() throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.httpPort()
        + "/loki/api/v1/status/buildinfo")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).path("version").asText()).isNotEmpty();
  }
}
