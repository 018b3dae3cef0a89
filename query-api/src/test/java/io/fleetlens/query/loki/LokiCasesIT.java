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
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

import io.fleetlens.core.logs.ContainerRef;
import io.fleetlens.core.logs.LogLevel;
import io.fleetlens.core.logs.LogOrigin;
import io.fleetlens.core.logs.LogRecord;
import io.fleetlens.core.logs.LogStream;
import io.fleetlens.logql.LogqlCasesTest;
import io.fleetlens.logql.LogqlCasesTest.Case;
import io.fleetlens.logql.eval.LogEntry;
import io.fleetlens.query.QueryApiConfig;
import io.fleetlens.query.QueryApiMain;
import io.fleetlens.storage.elasticsearch.ElasticsearchClients;
import io.fleetlens.storage.elasticsearch.ElasticsearchLogWriter;
import io.fleetlens.storage.elasticsearch.ElasticsearchSettings;
import io.fleetlens.storage.elasticsearch.LogIndexLayout;
import io.fleetlens.storage.elasticsearch.LogIndexTemplate;
import io.fleetlens.testkit.ElasticsearchFixture;
import io.fleetlens.testkit.RealServers;

/**
 * The LogQL case table of {@code logql/} through the Loki HTTP API, over its data set stored in the
 * real Elasticsearch: the same answers as the engine gives in memory, with the store's pushdown.
 */
@ExtendWith(RealServers.class)
class LokiCasesIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final long S = LogqlCasesTest.S;
  private static final long T0 = LogqlCasesTest.T0;
  private static QueryApiMain api;

  @BeforeAll
  static void storeTheDataSet(ElasticsearchFixture elasticsearch) throws Exception {
    ElasticsearchSettings settings = new ElasticsearchSettings(List.of(elasticsearch.httpUrl()), "loki-cases", 1, 0,
        "1s", false);
    LogIndexLayout layout = new LogIndexLayout("loki-cases");
    try (ElasticsearchClient client = ElasticsearchClients.create(settings)) {
      LogIndexTemplate.install(client, settings, layout);
      List<LogRecord> records = new ArrayList<>();
      long offset = 0;
      for (LogEntry e : LogqlCasesTest.dataSet()) {
        Map<String, String> s = e.stream().toMap();
        records.add(new LogRecord("cases", "node-1", new ContainerRef(s.get("namespace"), s.get("pod"),
            "uid-" + s.get("pod"), s.get("container")), Instant.ofEpochSecond(0, e.timestampNanos()), LogStream.STDOUT,
            e.line(), false, LogLevel.parse(s.get("level")).orElseThrow(), new LogOrigin("cases:" + s.get("pod"),
            offset++)).withFields(e.metadata()));
      }
      new ElasticsearchLogWriter(client, layout).write(records);
      client.indices().refresh(r -> r.index("loki-cases-logs-*"));
    }
    api = new QueryApiMain(new QueryApiConfig(new QueryApiConfig.Elasticsearch(List.of(elasticsearch.httpUrl()),
        "loki-cases"), new QueryApiConfig.Promql(50_000_000, 100_000, 60_000, 300_000),
        new QueryApiConfig.Http("127.0.0.1", 0), QueryApiConfig.Database.inMemory("loki-cases"),
        QueryApiConfig.Alerting.defaults().off(), QueryApiConfig.Auth.off(), QueryApiConfig.Limits.defaults()));
  }

  @AfterAll
  static void stop() throws Exception {
    api.close();
  }

  static Stream<Case> table() throws Exception {
    return LogqlCasesTest.cases().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void theCaseIsAnsweredOverHttpAsInMemory(Case c) throws Exception {
    boolean metric = !c.query().startsWith("{");
    String path = metric ? "/loki/api/v1/query?time=" + (T0 + 59 * S)
        : "/loki/api/v1/query_range?start=" + T0 + "&end=" + (T0 + 60 * S) + "&limit=5000&direction=backward";
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.httpPort()
        + path + "&query=" + URLEncoder.encode(c.query(), StandardCharsets.UTF_8))).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode body = JSON.readTree(response.body());
    if (c.expect().containsKey("error")) {
      assertThat(response.statusCode()).as(c.query() + " -> " + response.body()).isBetween(400, 499);
      assertThat(body.path("message").asText()).as(c.query()).contains(c.expect().get("error"));
      return;
    }
    assertThat(response.statusCode()).as(c.query() + " -> " + response.body()).isEqualTo(200);
    JsonNode result = body.path("data").path("result");
    if (metric) {
      List<Double> values = new ArrayList<>();
      if (body.path("data").path("resultType").asText().equals("scalar")) {
        values.add(Double.parseDouble(result.get(1).asText()));
      } else {
        result.forEach(s -> values.add(Double.parseDouble(s.path("value").get(1).asText())));
      }
      LogqlCasesTest.checkValues(c, values);
      return;
    }
    List<LogqlCasesTest.Line> lines = new ArrayList<>();
    for (JsonNode stream : result) {
      Map<String, String> labels = new TreeMap<>();
      stream.path("stream").properties().forEach(f -> labels.put(f.getKey(), f.getValue().asText()));
      stream.path("values").forEach(v -> lines.add(new LogqlCasesTest.Line(Long.parseLong(v.get(0).asText()),
          v.get(1).asText(), labels)));
    }
    LogqlCasesTest.checkLines(c, lines);
  }
}
