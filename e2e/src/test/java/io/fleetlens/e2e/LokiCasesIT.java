package io.fleetlens.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fleetlens.aggregator.AggregatorConfig;
import io.fleetlens.aggregator.AggregatorMain;
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
import io.fleetlens.testkit.ElasticsearchFixture;
import io.fleetlens.testkit.KafkaFixture;
import io.fleetlens.testkit.RealServers;
import io.fleetlens.transport.kafka.LogRecordCodec;
import io.fleetlens.transport.kafka.Producers;

/**
 * The LogQL case table of {@code logql/} through the whole log path: its data set written to the
 * logs topic of the real Kafka as the collector writes records, indexed by the aggregator (which
 * finds the JSON lines' fields and keeps the levels) into the real Elasticsearch, then asked of the
 * Loki HTTP API: the same answers as the engine gives in memory, with the store's pushdown.
 */
@ExtendWith(RealServers.class)
class LokiCasesIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final long S = LogqlCasesTest.S;
  private static final long T0 = LogqlCasesTest.T0;
  private static AggregatorMain aggregator;
  private static QueryApiMain api;

  @BeforeAll
  static void sendTheDataSetThroughThePipeline(KafkaFixture kafka, ElasticsearchFixture elasticsearch)
      throws Exception {
    String name = "loki-cases";
    aggregator = new AggregatorMain(new AggregatorConfig(
        new AggregatorConfig.Kafka(kafka.bootstrapServers(), name + ".logs", name + ".logs.dead-letter",
            name + ".metrics", name + ".metrics.dead-letter", name + "-aggregator", 1, 1, 5_000, 600_000, true, 1,
            (short) 1),
        new AggregatorConfig.Elasticsearch(List.of(elasticsearch.httpUrl()), name, 1, 0, "100ms", false),
        new AggregatorConfig.Retry(100, 2_000), new AggregatorConfig.Retention(0, 0, 3_600_000),
        Pipeline.NO_COMPACTION, new AggregatorConfig.AccessLogs(true, 1_000), Pipeline.NO_FEDERATION,
        new AggregatorConfig.Http("127.0.0.1", 0)));
    api = new QueryApiMain(new QueryApiConfig(new QueryApiConfig.Elasticsearch(List.of(elasticsearch.httpUrl()),
        name), new QueryApiConfig.Promql(50_000_000, 100_000, 60_000, 300_000),
        new QueryApiConfig.Http("127.0.0.1", 0), QueryApiConfig.Database.inMemory(name),
        QueryApiConfig.Alerting.defaults().off(), QueryApiConfig.Auth.off(), QueryApiConfig.Limits.defaults()));
    List<LogEntry> dataSet = LogqlCasesTest.dataSet();
    LogRecordCodec codec = new LogRecordCodec();
    try (KafkaProducer<byte[], byte[]> producer = Producers.reliable(kafka.bootstrapServers(), name, Map.of())) {
      long offset = 0;
      for (LogEntry e : dataSet) {
        Map<String, String> s = e.stream().toMap();
        LogRecord record = new LogRecord("cases", "node-1", new ContainerRef(s.get("namespace"), s.get("pod"),
            "uid-" + s.get("pod"), s.get("container")), Instant.ofEpochSecond(0, e.timestampNanos()), LogStream.STDOUT,
            e.line(), false, LogLevel.parse(s.get("level")).orElseThrow(), new LogOrigin("cases:" + s.get("pod"),
            offset++));
        producer.send(new ProducerRecord<>(name + ".logs", record.orderingKey().getBytes(StandardCharsets.UTF_8),
            codec.encode(record)));
      }
      producer.flush();
    }
    String everyLine = "sum(count_over_time({cluster=\"cases\"}[2m]))";
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
      JsonNode result = get("/loki/api/v1/query?time=" + (T0 + 60 * S) + "&query="
          + URLEncoder.encode(everyLine, StandardCharsets.UTF_8)).path("data").path("result");
      assertThat(result.path(0).path("value").path(1).asText()).isEqualTo(Integer.toString(dataSet.size()));
    });
  }

  private static JsonNode get(String path) throws Exception {
    return JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.httpPort() + path))
        .build(), HttpResponse.BodyHandlers.ofString()).body());
  }

  @AfterAll
  static void stop() throws Exception {
    api.close();
    aggregator.close();
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
