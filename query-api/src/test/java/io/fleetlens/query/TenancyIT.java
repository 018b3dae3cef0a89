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
 * (crafted to reach further: every name, {@code or}, {@code label_replace}, subqueries), the label
 * and series APIs, costs and recommendations, rule groups, alerts, receivers, routes and
 * notifications, on real Elasticsearch; rules run as their owners; an admin sees both.
 */
@ExtendWith(RealServers.class)
class TenancyIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String ADMIN = "tenancy-admin-secret-0123456789";
  private static QueryApiMain api;
  private static String teamA;
  private static String teamB;
  private static String shopOnly;
  private static final long GIB = 1L << 30;
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
        for (String[] team : new String[][] {{"team-a-prod", "shop"}, {"team-b-prod", "pay"}}) {
          String c = team[0];
          String ns = team[1];
          samples.add(sample("kube_node_status_capacity", t, 4, "cluster", c, "node", "n1", "resource", "cpu"));
          samples.add(sample("kube_node_status_capacity", t, 16 * GIB, "cluster", c, "node", "n1", "resource",
              "memory"));
          samples.add(sample("kube_node_labels", t, 1, "cluster", c, "node", "n1",
              "label_node_kubernetes_io_instance_type", "m5.xlarge"));
          String[] pod = {"cluster", c, "namespace", ns, "pod", ns + "-api-1", "container", "app", "node", "n1",
              "workload", ns + "-api", "workload_kind", "deployment"};
          samples.add(sample("kube_pod_container_resource_requests", t, 1, with(pod, "resource", "cpu")));
          samples.add(sample("kube_pod_container_resource_requests", t, 2 * GIB, with(pod, "resource", "memory")));
          samples.add(sample("container_cpu_usage_seconds_total", t, k * 15.0, pod));
          samples.add(sample("container_memory_working_set_bytes", t, GIB, pod));
          samples.add(sample("fleetlens_log_http_requests_total", t, k * 60.0, "cluster", c, "namespace", ns,
              "workload", ns + "-api", "code", "200"));
        }
      }
      writer.write(samples);
      new io.fleetlens.storage.elasticsearch.metrics.ElasticsearchMetadataStore(client, metrics,
          new MetricIndices(client, metrics, 1, 0, "1s")).write(List.of(
              new io.fleetlens.core.metrics.MetricMetadata("requests_total", "counter", "Requests served.", ""),
              new io.fleetlens.core.metrics.MetricMetadata("node_cpu", "gauge", "Cores of team B's nodes.", "")));
      client.indices().refresh(r -> r.index(metrics.metadataIndex()));
    }
    Path tokenFile = Files.createTempFile("admin", ".token");
    tokenFile.toFile().deleteOnExit();
    Files.writeString(tokenFile, ADMIN);
    api = new QueryApiMain(new QueryApiConfig(new QueryApiConfig.Elasticsearch(List.of(elasticsearch.httpUrl()),
        "tenancy"), new QueryApiConfig.Promql(50_000_000, 100_000, 60_000, 300_000),
        new QueryApiConfig.Http("127.0.0.1", 0), QueryApiConfig.Database.inMemory("tenancy"),
        QueryApiConfig.Alerting.defaults().off(), new QueryApiConfig.Auth(true, tokenFile.toString()), QueryApiConfig.Limits.defaults()));
    HttpResponse<String> created = send("POST", "/api/v1/admin/tokens", ADMIN, "{\"name\": \"team-a\", \"roles\":"
        + " [\"logs:read\", \"metrics:read\", \"cost:read\", \"rules:write\"], \"tenants\": [{\"clusters\": \"team-a-.*\", \"namespaces\": \".*\"}]}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    teamA = JSON.readTree(created.body()).path("token").asText();
    teamB = token("team-b", "team-b-.*", ".*");
    shopOnly = token("shop-team", ".*", "shop");
    for (String cluster : List.of("team-a-prod", "team-b-prod")) {
      HttpResponse<String> sheet = send("POST", "/api/v1/pricing/price-sheets", ADMIN, "{\"cluster\": \"" + cluster
          + "\", \"currency\": \"EUR\", \"cpuCoreHour\": \"0.03\", \"ramGibHour\": \"0.004\", \"effectiveFrom\": \""
          + Instant.ofEpochMilli(now - 86_400_000L) + "\"}");
      assertThat(sheet.statusCode()).as(sheet.body()).isEqualTo(201);
    }
  }

  private static String token(String name, String clusters, String namespaces) throws Exception {
    HttpResponse<String> created = send("POST", "/api/v1/admin/tokens", ADMIN, "{\"name\": \"" + name + "\", \"roles\":"
        + " [\"logs:read\", \"metrics:read\", \"cost:read\", \"rules:write\"], \"tenants\": [{\"clusters\": \""
        + clusters + "\", \"namespaces\": \"" + namespaces + "\"}]}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return JSON.readTree(created.body()).path("token").asText();
  }

  private static String[] with(String[] labels, String... more) {
    String[] out = java.util.Arrays.copyOf(labels, labels.length + more.length);
    System.arraycopy(more, 0, out, labels.length, more.length);
    return out;
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
    assertThat(clustersOf(teamA, "max_over_time({cluster=~\".+\", __name__=~\"requests_total|node_cpu\"}[10m:1m])")).containsExactly("team-a-prod");
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

  @Test
  void costsAndRecommendationsShowOnlyTheCallersRowsAtTheFleetsPrices() throws Exception {
    String window = "/api/v1/allocation?window=" + (now / 1000 - 600) + "," + now / 1000
        + "&resolution=1m&accumulate=true&aggregate=namespace";
    JsonNode admin = get(ADMIN, window + "&includeIdle=true").path("data").get(0);
    assertThat(admin.has("team-a-prod/shop") && admin.has("team-b-prod/pay") && admin.has("team-b-prod/__idle__"))
        .as(admin.toString()).isTrue();
    double shopCost = admin.path("team-a-prod/shop").path("totalCost").asDouble();
    assertThat(shopCost).isPositive();

    JsonNode a = get(teamA, window + "&includeIdle=true").path("data").get(0);
    assertThat(names(a)).containsExactlyInAnyOrder("team-a-prod/shop", "team-a-prod/__idle__");
    assertThat(a.path("team-a-prod/shop").path("totalCost").asDouble()).isEqualTo(shopCost);
    assertThat(get(teamA, window + "&shareIdle=true").toString()).doesNotContain("team-b");
    JsonNode shop = get(shopOnly, window + "&includeIdle=true").path("data").get(0);
    assertThat(names(shop)).as("a namespace's team sees its row, priced from its nodes, and no idle")
        .containsExactly("team-a-prod/shop");
    assertThat(shop.path("team-a-prod/shop").path("totalCost").asDouble()).isEqualTo(shopCost);

    String month = java.time.YearMonth.now(java.time.ZoneOffset.UTC).toString();
    assertThat(get(teamA, "/api/v1/showback?month=" + month + "&resolution=1m").toString()).contains("team-a-prod")
        .doesNotContain("team-b");
    JsonNode recommendations = get(teamA, "/api/v1/recommendations?window=15m&resolution=1m").path("recommendations");
    assertThat(recommendations).isNotEmpty()
        .allSatisfy(r -> assertThat(r.path("cluster").asText()).isEqualTo("team-a-prod"));
    JsonNode forShop = get(shopOnly, "/api/v1/recommendations?window=15m&resolution=1m").path("recommendations");
    assertThat(forShop).hasSize(1);
    assertThat(forShop.get(0).path("monthlySaving").isNumber()).as("priced from the node's instance type").isTrue();
    assertThat(get(ADMIN, "/api/v1/recommendations?window=15m&resolution=1m").path("recommendations").toString())
        .contains("team-b-prod");
  }

  private static List<String> names(JsonNode object) {
    List<String> out = new ArrayList<>();
    object.fieldNames().forEachRemaining(out::add);
    return out;
  }

  @Test
  void rulesAlertsReceiversAndNotificationsBelongToTheirTeam() throws Exception {
    HttpResponse<String> a = send("POST", "/api/v1/rules/groups", teamA, """
        name: team-a-rules
        rules:
          - record: team:requests:sum
            expr: sum by (cluster, namespace) (requests_total)
          - alert: SeesEverything
            expr: count by (cluster) ({__name__=~".+"}) > 0
        """);
    assertThat(a.statusCode()).as(a.body()).isEqualTo(201);
    HttpResponse<String> b = send("POST", "/api/v1/rules/groups", teamB, """
        name: team-b-rules
        rules:
          - record: forged:requests
            expr: label_replace(requests_total, "cluster", "team-a-prod", "", "")
          - alert: BRequests
            expr: requests_total > 0
          - alert: SecretLines
            logs: {q: secret}
            threshold: 15
            window: 5m
        """);
    assertThat(b.statusCode()).as(b.body()).isEqualTo(201);
    api.alerting().evaluate("team-a-rules", now);
    api.alerting().evaluate("team-b-rules", now);

    // each group ran as its owner
    JsonNode aRules = get(teamA, "/api/v1/rules").path("data").path("groups");
    assertThat(aRules).hasSize(1);
    assertThat(aRules.get(0).path("name").asText()).isEqualTo("team-a-rules");
    JsonNode bRules = get(teamB, "/api/v1/rules").path("data").path("groups").get(0).path("rules");
    assertThat(bRules.get(0).path("lastError").asText()).as("the forged series are not written")
        .contains("outside the group owner's tenants");
    assertThat(bRules.get(2).path("state").asText()).as("team B's log rule counts its 10 lines, not 20")
        .isEqualTo("inactive");
    JsonNode aAlerts = get(teamA, "/api/v1/alerts").path("data").path("alerts");
    assertThat(aAlerts).isNotEmpty().allSatisfy(alert -> {
      assertThat(alert.path("labels").path("alertname").asText()).isEqualTo("SeesEverything");
      assertThat(alert.path("labels").path("cluster").asText()).isEqualTo("team-a-prod");
    });
    assertThat(get(teamB, "/api/v1/alerts").path("data").path("alerts")).isNotEmpty()
        .allSatisfy(alert -> assertThat(alert.path("labels").path("cluster").asText()).isEqualTo("team-b-prod"));
    assertThat(clustersOf(teamA, "{__name__=~\"forged.*|ALERTS|team:.*\"}")).containsExactly("team-a-prod");
    assertThat(clustersOf(ADMIN, "forged:requests")).as("nothing forged was written").isEmpty();
    assertThat(clustersOf(teamA, "ALERTS")).containsExactly("team-a-prod");

    // team A can neither read, change nor delete team B's group
    assertThat(send("GET", "/api/v1/rules/groups/team-b-rules", teamA, null).statusCode()).isEqualTo(404);
    assertThat(get(teamA, "/api/v1/rules/groups").toString()).doesNotContain("team-b");
    HttpResponse<String> replace = send("PUT", "/api/v1/rules/groups/team-b-rules", teamA,
        "name: team-b-rules\nrules:\n  - record: mine\n    expr: vector(1)\n");
    assertThat(replace.statusCode()).isEqualTo(409);
    assertThat(replace.body()).doesNotContain("requests_total");
    assertThat(send("DELETE", "/api/v1/rules/groups/team-b-rules", teamA, null).statusCode()).isEqualTo(404);
    assertThat(get(ADMIN, "/api/v1/rules/groups/team-b-rules").path("source").asText()).contains("forged");

    // receivers and routes: team B routes everything to itself, yet is sent only its own alerts
    assertThat(send("PUT", "/api/v1/alerting/receivers/b-hook", teamB, "{\"url\": \"http://127.0.0.1:9/b\"}")
        .statusCode()).isEqualTo(201);
    assertThat(send("PUT", "/api/v1/alerting/receivers/a-hook", teamA, "{\"url\": \"http://127.0.0.1:9/a\"}")
        .statusCode()).isEqualTo(201);
    assertThat(send("POST", "/api/v1/alerting/routes", teamB, "{\"receiver\": \"b-hook\", \"groupWait\": \"0s\","
        + " \"groupBy\": [\"alertname\"], \"continue\": true}").statusCode()).isEqualTo(201);
    assertThat(send("POST", "/api/v1/alerting/routes", teamA, "{\"receiver\": \"a-hook\", \"groupWait\": \"0s\","
        + " \"groupBy\": [\"alertname\"]}").statusCode()).isEqualTo(201);
    assertThat(send("POST", "/api/v1/alerting/routes", teamA, "{\"receiver\": \"b-hook\"}").statusCode())
        .as("team A cannot route to team B's receiver").isEqualTo(400);
    assertThat(send("GET", "/api/v1/alerting/receivers/b-hook", teamA, null).statusCode()).isEqualTo(404);
    assertThat(send("PUT", "/api/v1/alerting/receivers/b-hook", teamA, "{\"url\": \"http://127.0.0.1:9/stolen\"}")
        .statusCode()).isEqualTo(409);
    assertThat(get(teamA, "/api/v1/alerting/receivers").toString()).contains("a-hook").doesNotContain("b-hook");
    assertThat(get(teamA, "/api/v1/alerting/receivers/a-hook").path("url").asText())
        .as("a receiver's URL path may hold its secret").isEqualTo("http://127.0.0.1:9/<set>");
    assertThat(get(teamA, "/api/v1/alerting/routes").path("routes")).hasSize(1);
    api.alerting().dispatch(now);
    JsonNode aNotifications = get(teamA, "/api/v1/alerting/notifications").path("notifications");
    assertThat(aNotifications).isNotEmpty()
        .allSatisfy(n -> assertThat(n.path("receiver").asText()).isEqualTo("a-hook"));
    JsonNode bNotifications = get(teamB, "/api/v1/alerting/notifications").path("notifications");
    assertThat(bNotifications).isNotEmpty()
        .allSatisfy(n -> assertThat(n.path("receiver").asText()).isEqualTo("b-hook"));
    assertThat(bNotifications.toString()).contains("BRequests").doesNotContain("team-a-prod")
        .doesNotContain("SeesEverything");
  }

  @Test
  void goldenSignalsAndMetricDescriptionsShowOnlyTeamAsWorkloadsAndNames() throws Exception {
    String fleet = "/api/v1/golden-signals/fleet?window=5m";
    assertThat(get(ADMIN, fleet).toString()).contains("shop-api").contains("pay-api");
    assertThat(get(teamA, fleet).toString()).contains("shop-api").doesNotContain("pay-api").doesNotContain("team-b");
    JsonNode adminNames = get(ADMIN, "/api/v1/metadata").path("data");
    assertThat(adminNames.has("requests_total") && adminNames.has("node_cpu")).as(adminNames.toString()).isTrue();
    JsonNode names = get(teamA, "/api/v1/metadata").path("data");
    assertThat(names.has("requests_total")).as(names.toString()).isTrue();
    assertThat(names.has("node_cpu")).as("team B's metric name and help").isFalse();
    assertThat(get(teamA, "/api/v1/metadata?metric=node_cpu").path("data").isEmpty()).isTrue();
  }
}
