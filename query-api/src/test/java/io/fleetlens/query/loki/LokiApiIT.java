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
  private static long shopBytes;
  private static long billingBytes;

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
      for (LogRecord r : records) {
        long bytes = r.message().getBytes(StandardCharsets.UTF_8).length;
        if (r.container().namespace().equals("shop")) {
          shopBytes += bytes;
        } else {
          billingBytes += bytes;
        }
      }
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
    String times = "&start=" + startSeconds + "&end=" + endSeconds;
    JsonNode relabelled = asBilling.apply("/loki/api/v1/query_range?query=" + q("{namespace=~\".+\"}"
        + " | label_format namespace=\"shop\"") + range() + "&limit=1000");
    relabelled.path("result").forEach(s -> s.path("values").forEach(v -> assertThat(v.get(1).asText())
        .contains("checkout failed")));
    asBilling.apply("/loki/api/v1/series?match[]=" + everything + times).forEach(s -> assertThat(
        s.path("namespace").asText()).isEqualTo("billing"));
    JsonNode volume = asBilling.apply("/loki/api/v1/index/volume?query=" + everything + times).path("result");
    assertThat(volume.size()).isEqualTo(1);
    assertThat(volume.get(0).path("metric").path("namespace").asText()).isEqualTo("billing");
    assertThat(volume.get(0).path("value").get(1).asLong()).isEqualTo(billingBytes);
    asBilling.apply("/loki/api/v1/index/volume_range?query=" + everything + times + "&step=60").path("result")
        .forEach(v -> assertThat(v.path("metric").path("namespace").asText()).isEqualTo("billing"));
    java.util.function.Function<String, JsonNode> rawAsBilling = pathAndQuery -> {
      try {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + guarded.httpPort() + pathAndQuery)).header("Authorization", "Bearer " + token).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    };
    assertThat(rawAsBilling.apply("/loki/api/v1/index/stats?query=" + everything + times).path("bytes").asLong())
        .isEqualTo(billingBytes);
    JsonNode detected = rawAsBilling.apply("/loki/api/v1/detected_labels?query=" + everything + times);
    detected.path("detectedLabels").forEach(l -> {
      if (l.path("label").asText().equals("namespace")) {
        assertThat(l.path("cardinality").asInt()).isEqualTo(1);
      }
    });
    assertThat(rawAsBilling.apply("/loki/api/v1/detected_fields?query=" + everything + times).toString())
        .doesNotContain("\"status\"");
    Messages tailing = new Messages();
    HTTP.newWebSocketBuilder().header("Authorization", "Bearer " + token).buildAsync(URI.create("ws://127.0.0.1:"
        + guarded.httpPort() + "/loki/api/v1/tail?limit=1000&query=" + everything + "&start=" + startSeconds
        + "000000000"), tailing).get(10, java.util.concurrent.TimeUnit.SECONDS);
    String first = tailing.received.poll(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(first).as("the tail's first lines").isNotNull();
    JsonNode tailed = JSON.readTree(first).path("streams");
    assertThat(tailed.size()).isPositive();
    tailed.forEach(s -> assertThat(s.path("stream").path("namespace").asText()).isEqualTo("billing"));
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

  private static JsonNode body(String pathAndQuery, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.httpPort()
        + pathAndQuery));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(pathAndQuery + " -> " + response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static String q(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  @Test
  void indexStatsAndVolumesAreStoreAggregationsInLokisShapes() throws Exception {
    String range = "&start=" + startSeconds + "&end=" + endSeconds;
    JsonNode stats = body("/loki/api/v1/index/stats?query=" + q("{namespace=\"shop\"}") + range);
    assertThat(stats.path("streams").asLong()).isEqualTo(3); // cart-0 info and error, cart-1 info
    assertThat(stats.path("entries").asLong()).isEqualTo(60);
    assertThat(stats.path("bytes").asLong()).isEqualTo(shopBytes);
    assertThat(stats.has("chunks")).isTrue();

    JsonNode volume = body("/loki/api/v1/index/volume?query=" + q("{namespace=~\"shop|billing\"}") + range)
        .path("data");
    assertThat(volume.path("resultType").asText()).isEqualTo("vector");
    List<String> biggestFirst = new ArrayList<>();
    volume.path("result").forEach(v -> biggestFirst.add(v.path("metric").path("namespace").asText() + "="
        + v.path("value").get(1).asText()));
    List<String> expected = new ArrayList<>(List.of("shop=" + shopBytes, "billing=" + billingBytes));
    if (billingBytes > shopBytes) {
      java.util.Collections.reverse(expected);
    }
    assertThat(biggestFirst).containsExactlyElementsOf(expected);

    JsonNode byLabel = body("/loki/api/v1/index/volume?query=" + q("{cluster=\"prod-eu\"}") + range
        + "&targetLabels=level,namespace&aggregateBy=labels&limit=2").path("data");
    assertThat(byLabel.path("result").size()).isEqualTo(2);
    byLabel.path("result").forEach(v -> assertThat(v.path("metric").size()).isEqualTo(1));

    JsonNode overTime = body("/loki/api/v1/index/volume_range?query=" + q("{namespace=\"shop\"}") + range
        + "&step=30").path("data");
    assertThat(overTime.path("resultType").asText()).isEqualTo("matrix");
    long total = 0;
    for (JsonNode value : overTime.path("result").get(0).path("values")) {
      assertThat(value.get(0).asDouble()).isBetween((double) startSeconds, (double) endSeconds);
      total += Long.parseLong(value.get(1).asText());
    }
    assertThat(overTime.path("result").get(0).path("values").size()).isGreaterThan(1);
    assertThat(total).isEqualTo(shopBytes);
  }

  @Test
  void detectedLabelsFieldsAndPatternsAnswerInLokisShapes() throws Exception {
    String range = "&start=" + startSeconds + "&end=" + endSeconds;
    JsonNode labels = body("/loki/api/v1/detected_labels?query=" + q("{namespace=\"shop\"}") + range);
    Map<String, Integer> cardinality = new java.util.TreeMap<>();
    labels.path("detectedLabels").forEach(l -> cardinality.put(l.path("label").asText(), l.path("cardinality")
        .asInt()));
    assertThat(cardinality).containsEntry("pod", 2).containsEntry("level", 2).containsEntry("namespace", 1);

    JsonNode fields = body("/loki/api/v1/detected_fields?query=" + q("{namespace=~\"shop|billing\"}") + range);
    Map<String, String> types = new java.util.TreeMap<>();
    fields.path("fields").forEach(f -> types.put(f.path("label").asText(), f.path("type").asText() + " "
        + f.path("cardinality").asInt() + " " + f.path("parsers")));
    assertThat(types).containsEntry("status", "int 2 [\"json\"]").containsEntry("took", "duration 60 [\"json\"]")
        .containsEntry("path", "string 1 [\"json\"]").containsEntry("order", "int 60 null");
    assertThat(fields.path("fieldLimit").asInt()).isEqualTo(1000);

    JsonNode patterns = body("/loki/api/v1/patterns?query=" + q("{namespace=\"shop\"}") + range);
    assertThat(patterns.path("status").asText()).isEqualTo("success");
    assertThat(patterns.path("data").isArray()).isTrue();
  }

  @Test
  void categorizedLabelsKeepStreamsByTheirStreamLabelsAndLinesAsThreeTuples() throws Exception {
    JsonNode data = body("/loki/api/v1/query_range?query=" + q("{namespace=\"billing\"} | logfmt | order > 57")
        + range() + "&limit=10", "X-Loki-Response-Encoding-Flags", "categorize-labels").path("data");
    assertThat(data.path("encodingFlags").toString()).isEqualTo("[\"categorize-labels\"]");
    assertThat(data.path("result").size()).isEqualTo(1);
    JsonNode stream = data.path("result").get(0);
    assertThat(stream.path("stream").path("pod").asText()).isEqualTo("ledger-0");
    assertThat(stream.path("stream").has("msg")).isFalse();
    assertThat(stream.path("values").size()).isEqualTo(2);
    JsonNode line = stream.path("values").get(0);
    assertThat(line.get(0).isTextual()).isTrue();
    assertThat(line.get(2).path("structuredMetadata").path("order").asText()).isEqualTo("59");
    assertThat(line.get(2).path("parsed").path("msg").asText()).isEqualTo("checkout failed");
    assertThat(line.get(2).path("parsed").path("level_extracted").asText()).isEqualTo("warn");
  }

  /**
   * The requests Grafana's Loki data source sends, in its order (save and test, the label browser,
   * an Explore logs query with its log volume, log context's two queries, Logs Drilldown's volume
   * and fields, live tail), each answered in the shape Grafana parses.
   */
  @Test
  void grafanasRequestSequenceIsAnsweredInShapesItParses() throws Exception {
    String range = "&start=" + startSeconds + "000000000&end=" + endSeconds + "000000000";
    String[] grafana = {"X-Grafana-Org-Id", "1", "X-Query-Tags", "Source=grafana"};
    // save and test: the health check's instant query, then the labels the test reads
    JsonNode health = body("/loki/api/v1/query?query=" + q("vector(1)+vector(1)") + "&time=" + endSeconds
        + "000000000", grafana).path("data");
    assertThat(health.path("resultType").asText()).isEqualTo("vector");
    assertThat(health.path("result").get(0).path("value").get(1).asText()).isEqualTo("2");
    assertThat(body("/loki/api/v1/labels?" + range.substring(1), grafana).path("data").isArray()).isTrue();
    // the label browser: names, one label's values, then the streams of a selection
    JsonNode values = body("/loki/api/v1/label/namespace/values?" + range.substring(1), grafana).path("data");
    assertThat(values.toString()).isEqualTo("[\"billing\",\"shop\"]");
    JsonNode series = body("/loki/api/v1/series?match%5B%5D=" + q("{namespace=\"shop\"}") + range, grafana)
        .path("data");
    assertThat(series.get(0).path("namespace").asText()).isEqualTo("shop");
    // Explore: the logs, asked with categorized labels, and the log volume histogram beside them
    JsonNode logs = body("/loki/api/v1/query_range?direction=backward&limit=1000&query=" + q("{namespace=\"shop\"}")
        + range + "&step=1000ms", "X-Query-Tags", "Source=grafana-explore", "X-Loki-Response-Encoding-Flags",
        "categorize-labels").path("data");
    assertThat(logs.path("resultType").asText()).isEqualTo("streams");
    int lines = 0;
    for (JsonNode stream : logs.path("result")) {
      for (JsonNode value : stream.path("values")) {
        assertThat(Long.parseLong(value.get(0).asText())).isPositive();
        assertThat(value.get(1).isTextual()).isTrue();
        lines++;
      }
    }
    assertThat(lines).isEqualTo(60);
    JsonNode histogram = body("/loki/api/v1/query_range?query=" + q("sum by (level) (count_over_time({namespace=\"shop\"}"
        + " [30s]))") + range + "&step=30000ms", "X-Query-Tags", "Source=logvolhist").path("data");
    assertThat(histogram.path("resultType").asText()).isEqualTo("matrix");
    long counted = 0;
    for (JsonNode s : histogram.path("result")) {
      assertThat(s.path("metric").path("level").asText()).isIn("info", "error");
      for (JsonNode point : s.path("values")) {
        assertThat(point.get(0).isNumber()).isTrue();
        counted += Long.parseLong(point.get(1).asText());
      }
    }
    assertThat(counted).isEqualTo(60);
    // log context around one line: the lines before it (backward) and after it (forward), same stream
    JsonNode row = logs.path("result").get(0);
    long at = Long.parseLong(row.path("values").get(row.path("values").size() / 2).get(0).asText());
    String context = q("{namespace=\"shop\",pod=\"" + row.path("stream").path("pod").asText()
        + "\",container=\"app\"}");
    JsonNode before = body("/loki/api/v1/query_range?query=" + context + "&limit=10&direction=backward&start="
        + (at - 7_200_000_000_000L) + "&end=" + at, "X-Query-Tags", "Source=logcontext").path("data");
    JsonNode after = body("/loki/api/v1/query_range?query=" + context + "&limit=10&direction=forward&start=" + at
        + "&end=" + (at + 7_200_000_000_000L), "X-Query-Tags", "Source=logcontext").path("data");
    for (JsonNode stream : before.path("result")) {
      stream.path("values").forEach(v -> assertThat(Long.parseLong(v.get(0).asText())).isLessThan(at));
    }
    for (JsonNode stream : after.path("result")) {
      stream.path("values").forEach(v -> assertThat(Long.parseLong(v.get(0).asText())).isGreaterThanOrEqualTo(at));
    }
    assertThat(before.path("result").size() + after.path("result").size()).isPositive();
    // Logs Drilldown: volume by a label and the fields of a selection
    JsonNode volume = body("/loki/api/v1/index/volume?query=" + q("{namespace=~\".+\"}") + range
        + "&limit=5000&targetLabels=namespace&aggregateBy=labels", grafana).path("data");
    assertThat(volume.path("result").size()).isEqualTo(2);
    assertThat(body("/loki/api/v1/detected_fields?query=" + q("{namespace=\"shop\"}") + range, grafana)
        .path("fields").size()).isPositive();
    // live tail: the socket opens and a bad query would close it (the line-by-line contract is liveTail...)
    Messages tailing = tail("{namespace=\"shop\"}", new Messages());
    assertThat(tailing.closed.isDone()).isFalse();
  }
}
