package io.fleetlens.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.fleetlens.core.logs.ContainerRef;
import io.fleetlens.core.logs.LogLevel;
import io.fleetlens.core.logs.LogOrigin;
import io.fleetlens.core.logs.LogRecord;
import io.fleetlens.core.logs.LogStream;
import io.fleetlens.core.metrics.Sample;
import io.fleetlens.query.QueryApiConfig;
import io.fleetlens.query.QueryApiMain;
import io.fleetlens.storage.elasticsearch.ElasticsearchClients;
import io.fleetlens.storage.elasticsearch.ElasticsearchLogWriter;
import io.fleetlens.storage.elasticsearch.ElasticsearchSettings;
import io.fleetlens.storage.elasticsearch.LogIndexLayout;
import io.fleetlens.storage.elasticsearch.LogIndexTemplate;
import io.fleetlens.testkit.ElasticsearchFixture;
import io.fleetlens.testkit.KafkaFixture;
import io.fleetlens.testkit.PostgresFixture;
import io.fleetlens.testkit.RealServers;

/**
 * Query API replicas keep no state of their own: two replicas on one PostgreSQL database and one
 * Elasticsearch, each changed through the other (a rule group on one, a price sheet on the other),
 * answer the same, to the byte, for logs, PromQL, labels and series, cost, rules, alerts and
 * notifications.
 */
@ExtendWith(RealServers.class)
class QueryApiReplicasIT {

  private static final String NAME = "replicas";
  private static final long GIB = 1L << 30;
  private static AlertingStack stack;
  private static QueryApiMain second;
  private static long now;

  @BeforeAll
  static void start(KafkaFixture kafka, ElasticsearchFixture elasticsearch, PostgresFixture postgres)
      throws Exception {
    String database = postgres.newDatabase(NAME);
    QueryApiConfig.Database db = new QueryApiConfig.Database(database, postgres.user(),
        postgres.password());
    stack = new AlertingStack(NAME, kafka, elasticsearch, QueryApiConfig.Alerting.defaults().off(), db);
    second = new QueryApiMain(new QueryApiConfig(new QueryApiConfig.Elasticsearch(List.of(elasticsearch.httpUrl()),
        NAME), new QueryApiConfig.Promql(50_000_000, 10_000, 60_000, 300_000), new QueryApiConfig.Http("127.0.0.1", 0),
        db, QueryApiConfig.Alerting.defaults().off(), QueryApiConfig.Auth.off(), QueryApiConfig.Limits.defaults()));
    now = System.currentTimeMillis() / 60_000 * 60_000;

    List<Sample> samples = new ArrayList<>();
    for (int k = 0; k < 10; k++) {
      long t = now - (10 - k) * 60_000L;
      for (String pod : List.of("cart-1", "cart-2")) {
        Map<String, String> l = Map.of("cluster", NAME, "namespace", "shop", "pod", pod, "container", "app",
            "node", "n1", "workload", "cart", "workload_kind", "deployment");
        samples.add(sample("requests_total", t, k * 10.0, l));
        samples.add(sample("container_cpu_usage_seconds_total", t, k * 30.0, l));
        samples.add(sample("container_memory_working_set_bytes", t, GIB, l));
        samples.add(sample("kube_pod_container_resource_requests", t, 1, with(l, "resource", "cpu")));
        samples.add(sample("kube_pod_container_resource_requests", t, 2 * GIB, with(l, "resource", "memory")));
      }
      Map<String, String> node = Map.of("cluster", NAME, "node", "n1");
      samples.add(sample("kube_node_status_capacity", t, 4, with(node, "resource", "cpu")));
      samples.add(sample("kube_node_status_capacity", t, 16 * GIB, with(node, "resource", "memory")));
    }
    stack.write(samples, "count(requests_total)", 2, now - 60_000);

    ElasticsearchSettings settings = new ElasticsearchSettings(List.of(elasticsearch.httpUrl()), NAME, 1, 0, "1s",
        false);
    try (ElasticsearchClient client = ElasticsearchClients.create(settings)) {
      LogIndexLayout layout = new LogIndexLayout(NAME);
      LogIndexTemplate.install(client, settings, layout);
      List<LogRecord> lines = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        lines.add(new LogRecord(NAME, "n1", new ContainerRef("shop", "cart-" + (i % 2 + 1), "uid", "app"),
            Instant.ofEpochMilli(now - 120_000 + i * 1_000L), LogStream.STDOUT, "order " + i + (i % 5 == 0
                ? " failed" : " placed"), false, i % 5 == 0 ? LogLevel.ERROR : LogLevel.INFO, new LogOrigin("f", i)));
      }
      new ElasticsearchLogWriter(client, layout).write(lines);
      client.indices().refresh(r -> r.index(NAME + "-logs-*"));
    }

    Http.Response group = Http.send("PUT", stack.api() + "/api/v1/rules/groups/shop", "application/yaml", """
        name: shop
        rules:
          - record: shop:requests:sum
            expr: sum by (cluster, namespace) (requests_total)
          - alert: CartBusy
            expr: requests_total > 50
            labels: {severity: page}
            annotations: {summary: "{{ $labels.pod }} served {{ $value }}"}
        """);
    assertThat(group.status()).as(group.body()).isEqualTo(201);
    Http.Response sheet = Http.send("POST", url(second) + "/api/v1/pricing/price-sheets", "application/json",
        "{\"cluster\": \"" + NAME + "\", \"currency\": \"EUR\", \"cpuCoreHour\": \"0.03\", \"ramGibHour\": \"0.004\","
            + " \"effectiveFrom\": \"" + Instant.ofEpochMilli(now - 86_400_000L) + "\"}");
    assertThat(sheet.status()).as(sheet.body()).isEqualTo(201);
    Http.Response receiver = Http.send("PUT", url(second) + "/api/v1/alerting/receivers/oncall", "application/json",
        "{\"url\": \"http://127.0.0.1:9/hook\"}");
    assertThat(receiver.status()).as(receiver.body()).isEqualTo(201);
    assertThat(Http.send("POST", stack.api() + "/api/v1/alerting/routes", "application/json",
        "{\"receiver\": \"oncall\", \"groupWait\": \"0s\"}").status()).isEqualTo(201);
    stack.alerting().evaluate("shop", now);
    second.alerting().dispatch(now);
  }

  private static Sample sample(String name, long t, double v, Map<String, String> labels) {
    return new Sample(name, new TreeMap<>(labels), t, v);
  }

  private static Map<String, String> with(Map<String, String> labels, String name, String value) {
    Map<String, String> out = new TreeMap<>(labels);
    out.put(name, value);
    return out;
  }

  private static String url(QueryApiMain api) {
    return "http://127.0.0.1:" + api.httpPort();
  }

  @AfterAll
  static void stop() throws Exception {
    if (second != null) {
      second.close();
    }
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void bothReplicasAnswerTheSameToEveryEndpoint() throws Exception {
    String start = AlertingStack.seconds(now - 600_000);
    String end = AlertingStack.seconds(now);
    List<String> paths = List.of(
        "/api/v1/logs?limit=50&start=" + Instant.ofEpochMilli(now - 600_000) + "&end=" + Instant.ofEpochMilli(now),
        "/api/v1/logs?level=error&q=failed&start=" + Instant.ofEpochMilli(now - 600_000) + "&end="
            + Instant.ofEpochMilli(now),
        "/api/v1/query?query=" + AlertingStack.q("sum by (pod) (rate(requests_total[5m]))") + "&time=" + end,
        "/api/v1/query?query=" + AlertingStack.q("shop:requests:sum") + "&time=" + end,
        "/api/v1/query_range?query=" + AlertingStack.q("rate(container_cpu_usage_seconds_total[3m])") + "&start="
            + start + "&end=" + end + "&step=60",
        "/api/v1/labels?start=" + start + "&end=" + end,
        "/api/v1/series?match[]=" + AlertingStack.q("requests_total") + "&start=" + start + "&end=" + end,
        "/api/v1/allocation?window=" + (now / 1000 - 600) + "," + now / 1000
            + "&resolution=1m&aggregate=pod&includeIdle=true",
        "/api/v1/recommendations?window=" + (now / 1000 - 600) + "," + now / 1000 + "&resolution=1m",
        "/api/v1/pricing/price-sheets",
        "/api/v1/rules",
        "/api/v1/alerts",
        "/api/v1/rules/groups",
        "/api/v1/alerting/receivers",
        "/api/v1/alerting/routes",
        "/api/v1/alerting/notifications");
    for (String path : paths) {
      Http.Response one = Http.get(stack.api() + path);
      Http.Response two = Http.get(url(second) + path);
      assertThat(one.status()).as(path + " -> " + one.body()).isEqualTo(200);
      assertThat(two.status()).as(path).isEqualTo(200);
      JsonNode a = one.json();
      assertThat(two.json()).as(path).isEqualTo(a);
      assertThat(a.toString()).as(path + " answers something").hasSizeGreaterThan(40);
    }
    JsonNode alerts = Http.get(url(second) + "/api/v1/alerts").json().path("data").path("alerts");
    assertThat(alerts).hasSize(2);
    assertThat(Http.get(url(second) + "/api/v1/alerting/notifications").json().path("notifications")).hasSize(1);
  }
}
