package io.fleetlens.e2e;


import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.fleetlens.aggregator.AggregatorConfig;
import io.fleetlens.aggregator.AggregatorMain;
import io.fleetlens.alerting.Alerting;
import io.fleetlens.core.metrics.Sample;
import io.fleetlens.query.QueryApiConfig;
import io.fleetlens.query.QueryApiMain;
import io.fleetlens.testkit.ElasticsearchFixture;
import io.fleetlens.testkit.KafkaFixture;

/**
 * The metrics path and the query API for alerting tests: samples are remote-written into the
 * aggregator, go through the real Kafka into the real Elasticsearch, and rules read them through
 * the query API's engine. Alerting does not tick by itself: a test steps evaluation, dispatch and
 * delivery at the instants it chooses, so each state change happens when the test says.
 */
final class AlertingStack implements AutoCloseable {

  final AggregatorMain aggregator;
  final QueryApiMain queryApi;
  final String cluster;

  AlertingStack(String name, KafkaFixture kafka, ElasticsearchFixture elasticsearch, QueryApiConfig.Alerting alerting,
      QueryApiConfig.Database database) throws Exception {
    this.cluster = name;
    aggregator = new AggregatorMain(new AggregatorConfig(
        new AggregatorConfig.Kafka(kafka.bootstrapServers(), name + ".logs", name + ".logs.dead-letter", name + ".metrics",
            name + ".metrics.dead-letter", name + "-aggregator", 1, 1, 5_000, 600_000, true, 3, (short) 1),
        new AggregatorConfig.Elasticsearch(List.of(elasticsearch.httpUrl()), name, 1, 0, "200ms", false),
        new AggregatorConfig.Retry(100, 2_000), new AggregatorConfig.Retention(0, 0, 3_600_000),
        Pipeline.NO_COMPACTION, new AggregatorConfig.AccessLogs(false, 1_000), Pipeline.NO_FEDERATION,
        new AggregatorConfig.Http("127.0.0.1", 0)));
    queryApi = new QueryApiMain(new QueryApiConfig(
        new QueryApiConfig.Elasticsearch(List.of(elasticsearch.httpUrl()), name),
        new QueryApiConfig.Promql(50_000_000, 10_000, 60_000, 300_000),
        new QueryApiConfig.Http("127.0.0.1", 0), database, alerting, QueryApiConfig.Auth.off(), QueryApiConfig.Limits.defaults()));
  }

  String api() {
    return "http://127.0.0.1:" + queryApi.httpPort();
  }

  Alerting alerting() {
    return queryApi.alerting();
  }

  /** Remote-writes the samples (their cluster is this stack's) and waits until PromQL counts them all. */
  void write(List<Sample> samples, String countQuery, int expected, long atMs) throws Exception {
    Http.Response written = post(samples);
    assertThat(written.status()).as(written.body()).isEqualTo(204);
    Instant deadline = Instant.now().plusSeconds(60);
    String last = "";
    while (Instant.now().isBefore(deadline)) {
      Http.Response r = Http.get(api() + "/api/v1/query?query=" + q(countQuery) + "&time=" + seconds(atMs));
      last = r.body();
      JsonNode result = r.status() == 200 ? r.json().path("data").path("result") : null;
      if (result != null && result.size() == 1 && result.get(0).path("value").get(1).asDouble() >= expected) {
        return;
      }
      Thread.sleep(300);
    }
    throw new AssertionError(countQuery + " did not reach " + expected + " in 60 s; last answer: " + last);
  }

  private Http.Response post(List<Sample> samples) throws Exception {
    return Http.remoteWrite("http://127.0.0.1:" + aggregator.httpPort(), samples,
        "Basic " + Base64.getEncoder().encodeToString((cluster + ":x").getBytes()));
  }

  Http.Response put(String path, String contentType, String body) throws Exception {
    return Http.send("PUT", api() + path, contentType, body);
  }

  Http.Response postJson(String path, String body) throws Exception {
    return Http.send("POST", api() + path, "application/json", body);
  }

  JsonNode get(String path) throws Exception {
    Http.Response r = Http.get(api() + path);
    assertThat(r.status()).as(path + " -> " + r.body()).isEqualTo(200);
    return r.json();
  }

  /** An instant as the Prometheus API takes it: seconds, with milliseconds after the point. */
  static String seconds(long ms) {
    return java.math.BigDecimal.valueOf(ms, 3).toPlainString();
  }

  static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Evaluates the group, dispatches and delivers, all at {@code t}. */
  void step(String group, long t) {
    alerting().evaluate(group, t);
    alerting().dispatch(t);
    alerting().deliver(t);
  }

  @Override
  public void close() throws Exception {
    queryApi.close();
    aggregator.close();
  }
}
