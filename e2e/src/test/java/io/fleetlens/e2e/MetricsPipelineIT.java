package io.fleetlens.e2e;

import io.fleetlens.testkit.RemoteWriteBodies;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetlens.aggregator.AggregatorConfig;
import io.fleetlens.aggregator.AggregatorMain;
import io.fleetlens.core.metrics.Sample;
import io.fleetlens.query.QueryApiConfig;
import io.fleetlens.query.QueryApiMain;
import io.fleetlens.testkit.ElasticsearchFixture;
import io.fleetlens.testkit.KafkaFixture;
import io.fleetlens.testkit.RealServers;

/**
 * Metrics end to end: a real Prometheus (Debian's) remote-writes into the aggregator, samples go
 * through Kafka into Elasticsearch, and the query API answers PromQL as Grafana asks it.
 */
@ExtendWith(RealServers.class)
class MetricsPipelineIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static AggregatorMain aggregator;
  private static QueryApiMain queryApi;
  private static PrometheusProcess prometheus;
  private static PrometheusProcess west;
  private static int deadReplicaPort;
  private static String api;
  private static String bootstrapServers;
  private static final String EAST_SECRET = "east-remote-write-0123456789";
  private static final String WEST_SECRET = "west-remote-write-0123456789";

  @BeforeAll
  static void start(KafkaFixture kafka, ElasticsearchFixture elasticsearch) throws Exception {
    assertThat(PrometheusProcess.BINARY).as("prometheus is installed (.ci/run installs it)").exists();
    String name = "metrics-e2e";
    bootstrapServers = kafka.bootstrapServers();
    Path work = Path.of("target", "e2e", "prometheus-" + System.nanoTime()).toAbsolutePath();
    java.nio.file.Files.createDirectories(work);
    Path senders = java.nio.file.Files.writeString(work.resolve("senders"), "east " + EAST_SECRET + "\nwest " + WEST_SECRET + "\n");
    Path eastPassword = java.nio.file.Files.writeString(work.resolve("east.password"), EAST_SECRET);
    west = new PrometheusProcess(work.resolve("west"), "west", "a", null);
    deadReplicaPort = io.fleetlens.devservers.FreePorts.next();
    AggregatorConfig.Federation federation = new AggregatorConfig.Federation(
        List.of("west=http://127.0.0.1:" + deadReplicaPort, "west=" + west.url()), List.of("{job=\"prometheus\"}"),
        "replica", 2_000, 5_000);
    aggregator = new AggregatorMain(new AggregatorConfig(
        new AggregatorConfig.Kafka(kafka.bootstrapServers(), name + ".logs", name + ".logs.dead-letter", name + ".metrics",
            name + ".metrics.dead-letter", name + "-aggregator", 1, 1, 5_000, 600_000, true, 3, (short) 1),
        new AggregatorConfig.Elasticsearch(List.of(elasticsearch.httpUrl()), name, 1, 0, "200ms", false),
        new AggregatorConfig.Retry(100, 2_000), new AggregatorConfig.Retention(0, 0, 3_600_000),
            new AggregatorConfig.Compaction(true, 3_600_000, 1_000, 600_000), new AggregatorConfig.AccessLogs(true, 1_000),
        federation,
        new AggregatorConfig.Http("127.0.0.1", 0).withRemoteWriteSenders(senders.toString())));
    queryApi = new QueryApiMain(new QueryApiConfig(
        new QueryApiConfig.Elasticsearch(List.of(elasticsearch.httpUrl()), name),
        new QueryApiConfig.Promql(50_000_000, 300, 60_000, 300_000),
        new QueryApiConfig.Http("127.0.0.1", 0), QueryApiConfig.Database.inMemory("db"),
        QueryApiConfig.Alerting.defaults(), QueryApiConfig.Auth.off(), QueryApiConfig.Limits.defaults()));
    api = "http://127.0.0.1:" + queryApi.httpPort();
    prometheus = new PrometheusProcess(work.resolve("east"), "east", null,
        "http://127.0.0.1:" + aggregator.httpPort() + "/api/v1/write", eastPassword);
  }

  @AfterAll
  static void stop() throws Exception {
    if (prometheus != null) {
      prometheus.close();
    }
    if (west != null) {
      west.close();
    }
    if (queryApi != null) {
      queryApi.close();
    }
    if (aggregator != null) {
      aggregator.close();
    }
  }

  private static JsonNode getJson(String pathAndQuery, int status) throws Exception {
    Http.Response response = Http.get(api + pathAndQuery);
    assertThat(response.status()).as(pathAndQuery + " -> " + shorten(response.body())).isEqualTo(status);
    return response.json();
  }

  private static JsonNode post(String path, String form, int status) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(api + path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path + " " + form + " -> " + shorten(response.body())).isEqualTo(status);
    return Http.JSON.readTree(response.body());
  }

  private static String shorten(String body) {
    return body.length() > 400 ? body.substring(0, 400) + "..." : body;
  }

  private static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Waits until half a minute of remote-written samples (one a second) is queryable. */
  private static void awaitData() throws Exception {
    Instant deadline = Instant.now().plusSeconds(120);
    while (Instant.now().isBefore(deadline)) {
      Http.Response response = Http.get(api + "/api/v1/query?query=" + q("count_over_time(up{cluster=\"east\"}[1m])"));
      JsonNode result = response.status() == 200 ? response.json().path("data").path("result") : null;
      if (result != null && result.size() == 1 && result.get(0).path("value").get(1).asDouble() >= 32) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("remote-written samples did not become queryable in 120 s");
  }

  @Test
  void prometheusRemoteWritesAndUpAndRateComeBackLabelledWithItsCluster() throws Exception {
    awaitData();
    long end = Instant.now().getEpochSecond();
    JsonNode up = post("/api/v1/query_range", "query=" + q("up{cluster=\"east\"}") + "&start=" + (end - 30) + "&end=" + end + "&step=5",
        200).path("data");
    assertThat(up.path("resultType").asText()).isEqualTo("matrix");
    assertThat(up.path("result")).hasSize(1);
    JsonNode series = up.path("result").get(0);
    assertThat(series.path("metric").path("cluster").asText()).isEqualTo("east");
    assertThat(series.path("metric").path("job").asText()).isEqualTo("prometheus");
    assertThat(series.path("values").size()).isGreaterThanOrEqualTo(5);
    series.path("values").forEach(p -> assertThat(p.get(1).asText()).isEqualTo("1"));

    JsonNode rate = getJson("/api/v1/query_range?query=" + q("rate(prometheus_tsdb_head_samples_appended_total{cluster=\"east\"}[20s])")
        + "&start=" + (end - 30) + "&end=" + end + "&step=5s", 200).path("data").path("result");
    assertThat(rate.size()).isGreaterThanOrEqualTo(1);
    for (JsonNode s : rate) {
      assertThat(s.path("metric").path("cluster").asText()).isEqualTo("east");
      assertThat(s.path("metric").has("__name__")).isFalse();
    }
    assertThat(rate.findValues("values").get(0).get(rate.findValues("values").get(0).size() - 1).get(1).asDouble())
        .isPositive();
  }

  @Test
  void remoteWriteTakesOnlyListedSendersAndOnlyTheirOwnCluster() throws Exception {
    String write = "http://127.0.0.1:" + aggregator.httpPort() + "/api/v1/write";
    byte[] body = io.fleetlens.testkit.RemoteWriteBodies.of(List.of(new io.fleetlens.core.metrics.Sample("forged",
        new java.util.TreeMap<>(java.util.Map.of("cluster", "west")), System.currentTimeMillis(), 1)));
    java.util.function.Function<String, HttpResponse<String>> post = authorization -> {
      HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(write)).header("Content-Type", "application/x-protobuf")
          .header("Content-Encoding", "snappy").POST(HttpRequest.BodyPublishers.ofByteArray(body));
      if (authorization != null) {
        r.header("Authorization", authorization);
      }
      try {
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
    assertThat(post.apply(null).statusCode()).isEqualTo(401);
    assertThat(post.apply("Bearer wrong-secret-0123456789").statusCode()).isEqualTo(401);
    HttpResponse<String> forged = post.apply("Bearer " + EAST_SECRET);
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.body()).contains("sender east may not write series of cluster west");
    assertThat(getJson("/api/v1/query?query=forged", 200).path("data").path("result")).isEmpty();
  }

  @Test
  void aFederatedClusterComesBackLabelledWithoutItsReplicaLabelAndItsTargetsHealth() throws Exception {
    Instant deadline = Instant.now().plusSeconds(90);
    JsonNode up = null;
    while (Instant.now().isBefore(deadline)) {
      up = getJson("/api/v1/query?query=" + q("up{cluster=\"west\",job=\"prometheus\"}"), 200).path("data")
          .path("result");
      if (up.size() == 1) {
        break;
      }
      Thread.sleep(500);
    }
    assertThat(up).hasSize(1);
    assertThat(up.get(0).path("metric").has("replica")).isFalse();
    assertThat(up.get(0).path("value").get(1).asText()).isEqualTo("1");
    JsonNode targets = getJson("/api/v1/query?query=" + q("up{job=\"fleetlens-federate\",cluster=\"west\"}"), 200)
        .path("data").path("result");
    Map<String, String> health = new java.util.HashMap<>();
    targets.forEach(t -> health.put(t.path("metric").path("instance").asText(), t.path("value").get(1).asText()));
    assertThat(health).containsEntry("127.0.0.1:" + deadReplicaPort, "0")
        .containsEntry(java.net.URI.create(west.url()).getHost() + ":" + java.net.URI.create(west.url()).getPort(), "1");

    // both clusters through query_range: up, and rate() of a counter, each labelled with its cluster
    awaitData();
    String rate = "sum by (cluster) (rate(prometheus_tsdb_head_samples_appended_total[20s]))";
    JsonNode perCluster = null;
    Instant rateDeadline = Instant.now().plusSeconds(60);
    while (Instant.now().isBefore(rateDeadline)) {
      long end = Instant.now().getEpochSecond();
      perCluster = post("/api/v1/query_range", "query=" + q(rate) + "&start=" + (end - 10) + "&end=" + end + "&step=5",
          200).path("data").path("result");
      if (perCluster.size() == 2) {
        break;
      }
      Thread.sleep(1_000);
    }
    Map<String, Double> lastRate = new java.util.HashMap<>();
    perCluster.forEach(s -> lastRate.put(s.path("metric").path("cluster").asText(),
        s.path("values").get(s.path("values").size() - 1).get(1).asDouble()));
    assertThat(lastRate).containsOnlyKeys("east", "west");
    assertThat(lastRate.values()).allMatch(v -> v > 0);
    long end = Instant.now().getEpochSecond();
    JsonNode ups = post("/api/v1/query_range", "query=" + q("up{job=\"prometheus\"}") + "&start=" + (end - 10)
        + "&end=" + end + "&step=5", 200).path("data").path("result");
    Set<String> clusters = new HashSet<>();
    ups.forEach(s -> clusters.add(s.path("metric").path("cluster").asText()));
    assertThat(clusters).containsExactlyInAnyOrder("east", "west");
  }

  @Test
  void grafanasRequestSequenceGetsPrometheusShapedAnswers() throws Exception {
    awaitData();
    long end = Instant.now().getEpochSecond();
    JsonNode build = getJson("/api/v1/status/buildinfo", 200);
    assertThat(build.path("status").asText()).isEqualTo("success");
    assertThat(build.path("data").path("version").asText()).isNotEmpty();

    JsonNode health = post("/api/v1/query", "query=" + q("1+1") + "&time=" + end, 200).path("data");
    assertThat(health.path("resultType").asText()).isEqualTo("scalar");
    assertThat(health.path("result").get(1).asText()).isEqualTo("2");
    assertThat(health.path("result").get(0).asLong()).isEqualTo(end);

    JsonNode labels = post("/api/v1/labels", "start=" + (end - 3600) + "&end=" + end, 200).path("data");
    Set<String> names = new HashSet<>();
    labels.forEach(n -> names.add(n.asText()));
    assertThat(names).contains("__name__", "cluster", "instance", "job");

    JsonNode jobs = getJson("/api/v1/label/job/values?start=" + (end - 3600) + "&end=" + end, 200).path("data");
    assertThat(jobs.toString()).contains("prometheus");

    JsonNode found = getJson("/api/v1/series?match[]=" + q("up{job=\"prometheus\",cluster=\"east\"}") + "&start=" + (end - 3600)
        + "&end=" + end, 200).path("data");
    assertThat(found).hasSize(1);
    assertThat(found.get(0).path("__name__").asText()).isEqualTo("up");

    // the same instant query against the Prometheus that holds the same data (where the cluster is
    // only an external label): same shape
    String query = "sum by (job) (rate(prometheus_http_requests_total%s[30s]))";
    JsonNode ours = post("/api/v1/query", "query=" + q(query.formatted("{cluster=\"east\"}")) + "&time=" + end, 200);
    HttpResponse<String> theirs = HTTP.send(HttpRequest.newBuilder(URI.create(prometheus.url() + "/api/v1/query?query="
        + q(query.formatted("")) + "&time=" + end)).build(), HttpResponse.BodyHandlers.ofString());
    JsonNode reference = Http.JSON.readTree(theirs.body());
    assertThat(fieldNames(ours)).isEqualTo(fieldNames(reference));
    assertThat(fieldNames(ours.path("data"))).isEqualTo(fieldNames(reference.path("data")));
    assertThat(ours.path("data").path("resultType")).isEqualTo(reference.path("data").path("resultType"));
    assertThat(ours.path("data").path("result").size()).isEqualTo(reference.path("data").path("result").size());
    JsonNode ourSample = ours.path("data").path("result").get(0);
    JsonNode theirSample = reference.path("data").path("result").get(0);
    assertThat(fieldNames(ourSample)).isEqualTo(fieldNames(theirSample));
    assertThat(ourSample.path("metric")).isEqualTo(theirSample.path("metric"));
    assertThat(ourSample.path("value").get(0).isNumber()).isTrue();
    assertThat(ourSample.path("value").get(1).isTextual()).isTrue();
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    names.sort(String::compareTo);
    return names;
  }

  @Test
  void metricDescriptionsFromRemoteWriteAndFederationAreServedAsPrometheusServesThem() throws Exception {
    awaitData();
    Instant deadline = Instant.now().plusSeconds(60);
    JsonNode described;
    while (true) {
      described = getJson("/api/v1/metadata?metric=prometheus_http_requests_total", 200).path("data");
      boolean withHelp = false;
      for (JsonNode d : described.path("prometheus_http_requests_total")) {
        withHelp |= !d.path("help").asText().isEmpty();
      }
      if (withHelp) {
        break;
      }
      assertThat(Instant.now()).as("remote-written metadata arrives: " + described).isBefore(deadline);
      Thread.sleep(500);
    }
    // /federate types everything "untyped", which says nothing and is not kept
    assertThat(described.path("prometheus_http_requests_total")).hasSize(1).allSatisfy(d -> {
      assertThat(d.path("type").asText()).isEqualTo("counter");
      assertThat(fieldNames(d)).containsExactly("help", "type", "unit");
    });
    assertThat(described.path("prometheus_http_requests_total").findValuesAsText("help"))
        .contains("Counter of HTTP requests.");
    JsonNode all = getJson("/api/v1/metadata?limit=3&limit_per_metric=1", 200).path("data");
    assertThat(fieldNames(all)).hasSize(3);
    all.forEach(list -> assertThat(list).hasSize(1));
    assertThat(getJson("/api/v1/metadata?metric=no_such_metric", 200).path("data").size()).isZero();
    assertThat(getJson("/api/v1/metadata?limit=x", 400).path("errorType").asText()).isEqualTo("bad_data");
  }

  @Test
  void anHourWrittenLateIsCompactedByTheAggregatorAndStillAnswers() throws Exception {
    long hourStart = (System.currentTimeMillis() - 5 * 3_600_000L) / 60_000 * 60_000;
    List<Sample> backfill = new java.util.ArrayList<>();
    for (int i = 0; i < 240; i++) {
      backfill.add(new Sample("backfill_total", new java.util.TreeMap<>(Map.of("cluster", "west")),
          hourStart + i * 15_000L, i * 30.0));
    }
    String write = "http://127.0.0.1:" + aggregator.httpPort() + "/api/v1/write";
    assertThat(postBytes(write, RemoteWriteBodies.of(backfill), "application/x-protobuf")).isEqualTo(204);

    String metrics = "http://127.0.0.1:" + aggregator.httpPort() + "/metrics";
    String count = "/api/v1/query?query=" + q("count_over_time(backfill_total[1h])") + "&time="
        + (hourStart + 239 * 15_000L) / 1000.0;
    Instant deadline = Instant.now().plusSeconds(60);
    while (Http.metric(metrics, "fleetlens_aggregator_compacted_samples_total{app=\"aggregator\"}") < 240
        || getJson(count, 200).path("data").path("result").path(0).path("value").path(1).asDouble() < 240) {
      assertThat(Instant.now()).as("the late hour compacted and queryable").isBefore(deadline);
      Thread.sleep(250);
    }
    JsonNode rate = getJson("/api/v1/query_range?query=" + q("rate(backfill_total[5m])") + "&start="
        + (hourStart / 1000 + 600) + "&end=" + (hourStart / 1000 + 3_000) + "&step=60", 200);
    JsonNode series = rate.path("data").path("result");
    assertThat(series).hasSize(1);
    assertThat(series.get(0).path("metric").path("cluster").asText()).isEqualTo("west");
    assertThat(series.get(0).path("values")).hasSize(41)
        .allSatisfy(point -> assertThat(point.get(1).asDouble()).isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-9)));
  }

  @Test
  void recordsOfEitherVersionAreStoredAndABrokenBatchIsDeadLetteredWithoutItsNeighbours() throws Exception {
    long t = (System.currentTimeMillis() - 30_000) / 1000 * 1000;
    Sample v1 = new Sample("topic_v1_total", new java.util.TreeMap<>(Map.of("cluster", "west")), t, 5);
    byte[] v2 = io.fleetlens.transport.kafka.SampleBatchCodec.encode(List.of(
        new io.fleetlens.core.metrics.SeriesSamples("topic_v2_total", new java.util.TreeMap<>(Map.of("cluster", "west",
            "instance", "a")), new long[] {t - 20_000, t - 10_000, t}, new double[] {1, 2, 3}),
        new io.fleetlens.core.metrics.SeriesSamples("topic_v2_total", new java.util.TreeMap<>(Map.of("cluster", "west",
            "instance", "b")), new long[] {t}, new double[] {7})));
    byte[] broken = java.util.Arrays.copyOf(v2, v2.length - 4);
    try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]>(Map.of(
        "bootstrap.servers", bootstrapServers), new org.apache.kafka.common.serialization.ByteArraySerializer(),
        new org.apache.kafka.common.serialization.ByteArraySerializer())) {
      String topic = "metrics-e2e.metrics";
      producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, 0,
          io.fleetlens.transport.kafka.SampleCodec.key("west", v1), new io.fleetlens.transport.kafka.SampleCodec()
              .encode(v1))).get();
      producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, 0, null, broken)).get();
      producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, 0, null, v2)).get();
    }
    String count = "/api/v1/query?query=" + q("sum(count_over_time({__name__=~\"topic_v.*\"}[1m]))") + "&time="
        + t / 1000.0;
    Instant deadline = Instant.now().plusSeconds(60);
    while (getJson(count, 200).path("data").path("result").path(0).path("value").path(1).asDouble() < 5) {
      assertThat(Instant.now()).as("a v1 sample and a v2 batch of 4 samples queryable: "
          + getJson(count, 200)).isBefore(deadline);
      Thread.sleep(250);
    }
    JsonNode last = getJson("/api/v1/query?query=" + q("topic_v2_total") + "&time=" + t / 1000.0, 200);
    assertThat(last.path("data").path("result")).hasSize(2);

    try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(Map.of(
        "bootstrap.servers", bootstrapServers, "group.id", "dead-letter-reader-" + System.nanoTime(),
        "auto.offset.reset", "earliest"), new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
        new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      consumer.subscribe(List.of("metrics-e2e.metrics.dead-letter"));
      Instant until = Instant.now().plusSeconds(30);
      String reason = null;
      while (reason == null && Instant.now().isBefore(until)) {
        for (var record : consumer.poll(java.time.Duration.ofMillis(500))) {
          if (java.util.Arrays.equals(record.value(), broken)) {
            reason = new String(record.headers().lastHeader("fleetlens.error.reason").value(), StandardCharsets.UTF_8);
          }
        }
      }
      assertThat(reason).as("the broken batch, unchanged, on the dead-letter topic").startsWith("malformed")
          .contains("past the record's end");
    }
  }

  @Test
  void badInputGetsPrometheusStyleErrorsAndTheServicesKeepServing() throws Exception {
    awaitData();
    String write = "http://127.0.0.1:" + aggregator.httpPort() + "/api/v1/write";
    byte[] good = RemoteWriteBodies.of(List.of(new Sample("probe_total", new java.util.TreeMap<>(Map.of("cluster", "west")),
        System.currentTimeMillis(), 1.0)));
    assertThat(postBytes(write, good, "application/x-protobuf")).isEqualTo(204);
    assertThat(postBytes(write, java.util.Arrays.copyOf(good, good.length / 2), "application/x-protobuf")).isEqualTo(400);
    assertThat(postBytes(write, "not snappy at all".getBytes(), "application/x-protobuf")).isEqualTo(400);
    assertThat(postBytes(write, good, "application/json")).isEqualTo(415);
    byte[] noCluster = RemoteWriteBodies.of(List.of(new Sample("probe_total", new java.util.TreeMap<>(),
        System.currentTimeMillis(), 1.0)));
    assertThat(postBytes(write, noCluster, "application/x-protobuf")).as("labelled with the sender's cluster")
        .isEqualTo(204);

    JsonNode syntax = getJson("/api/v1/query?query=" + q("sum(rate(up[5m]) by"), 400);
    assertThat(syntax.path("status").asText()).isEqualTo("error");
    assertThat(syntax.path("errorType").asText()).isEqualTo("bad_data");
    assertThat(syntax.path("error").asText()).contains("parse error");

    long end = Instant.now().getEpochSecond();
    JsonNode tooLong = getJson("/api/v1/query_range?query=up&start=" + (end - 86_400 * 30) + "&end=" + end
        + "&step=1", 400);
    assertThat(tooLong.path("error").asText()).contains("11,000 points");

    JsonNode tooMany = getJson("/api/v1/query?query=" + q("{__name__=~\".+\"}"), 422);
    assertThat(tooMany.path("errorType").asText()).isEqualTo("execution");
    assertThat(tooMany.path("error").asText()).contains("more than 300 series");

    assertThat(getJson("/api/v1/query?query=up", 200).path("status").asText()).isEqualTo("success");
    assertThat(Http.get("http://127.0.0.1:" + aggregator.httpPort() + "/healthz").status()).isEqualTo(200);
  }

  private static int postBytes(String url, byte[] body, String contentType) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", contentType)
        .header("Content-Encoding", "snappy").header("X-Prometheus-Remote-Write-Version", "0.1.0")
        .header("Authorization", "Bearer " + WEST_SECRET).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
  }
}
