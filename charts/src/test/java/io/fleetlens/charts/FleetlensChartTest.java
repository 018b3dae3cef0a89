package io.fleetlens.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.fleetlens.aggregator.AggregatorConfig;
import io.fleetlens.collector.CollectorConfig;
import io.fleetlens.query.QueryApiConfig;
import io.fleetlens.runtime.AppHttpServer;
import io.fleetlens.runtime.Metrics;
import io.fleetlens.runtime.Readiness;

/**
 * The chart as Helm renders it, for the default values (with the endpoints every install must
 * name) and for a production install of one cluster of a fleet: every object valid for Kubernetes
 * 1.33, probes on endpoints the apps serve, configurations the apps load, non-root pods but the
 * collector, selectors that select, RBAC no wider than the collector needs, every dashboard.
 */
class FleetlensChartTest {

  private static final Map<String, String> REQUIRED = Map.of(
      "cluster", "test-cluster",
      "kafka.bootstrapServers", "kafka.data:9092",
      "elasticsearch.hosts[0]", "http://elasticsearch.data:9200",
      "database.jdbcUrl", "jdbc:postgresql://postgres.data:5432/fleetlens");

  private static RenderedChart defaults;
  private static RenderedChart production;
  private static RenderedChart edge;

  @BeforeAll
  static void render() throws Exception {
    defaults = RenderedChart.render(List.of(), REQUIRED);
    production = RenderedChart.render(List.of(RenderedChart.resource("production-values.yaml")), Map.of());
    edge = RenderedChart.render(List.of(RenderedChart.resource("edge-values.yaml")), Map.of());
  }

  /** The defaults, the fleet's hub cluster (everything) and one of its edge clusters (collectors only). */
  static Stream<RenderedChart> installs() {
    return Stream.of(defaults, production, edge);
  }

  @ParameterizedTest
  @MethodSource("installs")
  void everyObjectIsValidForTheKubernetesApi(RenderedChart chart) throws Exception {
    assertThat(chart.objects).hasSizeGreaterThan(5);
    for (JsonNode o : chart.objects) {
      assertThat(o.path("metadata").path("labels").path("app.kubernetes.io/part-of").asText())
          .as(o.path("kind") + " " + o.path("metadata").path("name") + " has the standard labels").isEqualTo("fleetlens");
      assertThat(o.path("metadata").path("labels").path("app.kubernetes.io/instance").asText()).isEqualTo("fleetlens");
      if (KubernetesSchema.knows(o)) {
        KubernetesSchema.validate(o);
      } else {
        assertThat(o.path("apiVersion").asText()).as(o.toString()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(o.path("kind").asText()).isIn("ServiceMonitor", "PodMonitor");
        assertThat(o.path("spec").path("selector").path("matchLabels").isObject()).isTrue();
      }
    }
  }

  @Test
  void anEdgeClusterRunsOnlyCollectorsShippingToTheHub() {
    assertThat(edge.ofKind("Deployment")).isEmpty();
    assertThat(edge.ofKind("DaemonSet")).hasSize(1);
    assertThat(edge.named("ConfigMap", "fleetlens-collector").orElseThrow().path("data").path("collector.yaml").asText())
        .contains("bootstrap-servers: kafka.hub.example.com:9094").contains("cluster: edge-ap-3");
    assertThat(edge.ofKind("DaemonSet").getFirst().toString()).contains("\"emptyDir\":{}");
  }

  @Test
  void theProductionInstallHasEveryOptionalPart() {
    Set<String> kinds = new TreeSet<>();
    production.objects.forEach(o -> kinds.add(o.path("kind").asText()));
    assertThat(kinds).contains("DaemonSet", "Deployment", "HorizontalPodAutoscaler", "PodDisruptionBudget", "Service",
        "Ingress", "NetworkPolicy", "ServiceMonitor", "PodMonitor", "PriorityClass", "ClusterRole",
        "ClusterRoleBinding", "ServiceAccount", "ConfigMap");
    JsonNode deployment = production.named("Deployment", "fleetlens-query-api").orElseThrow();
    JsonNode container = deployment.at("/spec/template/spec/containers/0");
    assertThat(container.path("image").asText()).isEqualTo("registry.example.com/platform/fleetlens/query-api:0.1.0");
    assertThat(container.path("env").toString()).contains("\"name\":\"fleetlens-db\"").doesNotContain("password\":\"");
  }

  @Test
  void everySecretFileTheProductionConfigsNameIsMountedFromItsSecret(@TempDir Path dir) throws Exception {
    CollectorConfig collector = CollectorConfig.load(production.configFile("fleetlens-collector", "collector.yaml", dir),
        Map.of());
    AggregatorConfig aggregator = AggregatorConfig.load(production.configFile("fleetlens-aggregator", "aggregator.yaml",
        dir), Map.of());
    QueryApiConfig query = QueryApiConfig.load(production.configFile("fleetlens-query-api", "query-api.yaml", dir),
        Map.of());
    assertThat(collector.kafka().clientPropertiesFile())
        .isEqualTo("/var/run/secrets/fleetlens/kafka/client.properties");
    assertThat(aggregator.kafka().clientPropertiesFile()).isEqualTo(collector.kafka().clientPropertiesFile());
    assertThat(aggregator.http().remoteWriteSendersFile())
        .isEqualTo("/var/run/secrets/fleetlens/remote-write/senders");
    assertThat(aggregator.elasticsearch().security().apiKeyFile())
        .isEqualTo("/var/run/secrets/fleetlens/elasticsearch/api-key");
    assertThat(query.elasticsearch().security().caFile()).isEqualTo("/var/run/secrets/fleetlens/elasticsearch/ca.crt");
    assertThat(query.auth().enabled()).isTrue();
    assertThat(query.auth().bootstrapAdminTokenFile()).isEqualTo("/var/run/secrets/fleetlens/admin-token/token");

    assertMounted("DaemonSet", "fleetlens-collector", "fleetlens-kafka-client", collector.kafka().clientPropertiesFile());
    assertMounted("Deployment", "fleetlens-aggregator", "fleetlens-kafka-client",
        aggregator.kafka().clientPropertiesFile());
    assertMounted("Deployment", "fleetlens-aggregator", "fleetlens-remote-write-senders",
        aggregator.http().remoteWriteSendersFile());
    assertMounted("Deployment", "fleetlens-aggregator", "fleetlens-elasticsearch",
        aggregator.elasticsearch().security().apiKeyFile());
    assertMounted("Deployment", "fleetlens-query-api", "fleetlens-elasticsearch",
        query.elasticsearch().security().caFile());
    assertMounted("Deployment", "fleetlens-query-api", "fleetlens-admin", query.auth().bootstrapAdminTokenFile());
    assertThat(production.named("Secret", "fleetlens-admin-token")).as("the operator gave one").isEmpty();
  }

  @Test
  void theAggregatorsScaleOnCpuAndOnKafkaLagWhereAnAdapterServesIt() {
    JsonNode hpa = production.named("HorizontalPodAutoscaler", "fleetlens-aggregator").orElseThrow();
    assertThat(hpa.at("/spec/metrics/1/type").asText()).isEqualTo("Pods");
    assertThat(hpa.at("/spec/metrics/1/pods/metric/name").asText()).isEqualTo("fleetlens_aggregator_consumer_lag_records");
    assertThat(hpa.at("/spec/metrics/1/pods/target/averageValue").asText()).isEqualTo("20000");
    assertThat(defaults.named("HorizontalPodAutoscaler", "fleetlens-aggregator").orElseThrow().at("/spec/metrics"))
        .as("CPU only by default").hasSize(1);
  }

  @Test
  void byDefaultAccessControlIsOnWithoutAnyTokenInTheChartAndGrafanaSendsItsToken(@TempDir Path dir)
      throws Exception {
    QueryApiConfig query = QueryApiConfig.load(defaults.configFile("fleetlens-query-api", "query-api.yaml", dir),
        Map.of());
    assertThat(query.auth().enabled()).isTrue();
    assertThat(query.auth().bootstrapAdminTokenFile()).as("the first token is made with the CLI").isEmpty();
    assertThat(defaults.ofKind("Secret")).isEmpty();
    String datasource = defaults.named("ConfigMap", "fleetlens-grafana-datasource").orElseThrow().toString();
    assertThat(datasource).contains("httpHeaderName1: Authorization")
        .contains("httpHeaderValue1: \\\"Bearer ${FLEETLENS_GRAFANA_TOKEN}\\\"");
  }

  /** The workload mounts Secret {@code secret} at the folder holding {@code file}. */
  private static void assertMounted(String kind, String name, String secret, String file) {
    JsonNode spec = production.named(kind, name).or(() -> defaults.named(kind, name)).orElseThrow()
        .at("/spec/template/spec");
    String volume = null;
    for (JsonNode v : spec.path("volumes")) {
      if (v.at("/secret/secretName").asText().equals(secret)) {
        volume = v.path("name").asText();
      }
    }
    assertThat(volume).as(name + " has a volume of Secret " + secret).isNotNull();
    String folder = file.substring(0, file.lastIndexOf('/'));
    boolean mounted = false;
    for (JsonNode m : spec.at("/containers/0/volumeMounts")) {
      mounted |= m.path("name").asText().equals(volume) && m.path("mountPath").asText().equals(folder)
          && m.path("readOnly").asBoolean();
    }
    assertThat(mounted).as(name + " mounts " + secret + " read-only at " + folder).isTrue();
  }

  @ParameterizedTest
  @MethodSource("installs")
  void theAppsLoadTheirRenderedConfigurationAndProbesPointAtWhatTheyServe(RenderedChart chart, @TempDir Path dir)
      throws Exception {
    Map<String, Integer> ports = new HashMap<>();
    ports.put("collector", CollectorConfig.load(chart.configFile("fleetlens-collector", "collector.yaml", dir),
        Map.of()).http().port());
    if (chart.named("ConfigMap", "fleetlens-aggregator").isPresent()) {
      ports.put("aggregator", AggregatorConfig.load(chart.configFile("fleetlens-aggregator", "aggregator.yaml", dir),
          Map.of()).http().port());
    }
    if (chart.named("ConfigMap", "fleetlens-query-api").isPresent()) {
      QueryApiConfig query = QueryApiConfig.load(chart.configFile("fleetlens-query-api", "query-api.yaml", dir),
          Map.of());
      ports.put("query-api", query.http().port());
      assertThat(query.alerting().externalUrl()).startsWith("http");
    }

    Set<String> paths = new HashSet<>();
    for (JsonNode workload : chart.workloads()) {
      String component = workload.at("/metadata/labels/app.kubernetes.io~1component").asText();
      JsonNode container = workload.at("/spec/template/spec/containers/0");
      Map<String, Integer> named = new HashMap<>();
      container.path("ports").forEach(p -> named.put(p.path("name").asText(), p.path("containerPort").asInt()));
      for (String probe : List.of("livenessProbe", "readinessProbe")) {
        JsonNode get = container.path(probe).path("httpGet");
        assertThat(named.get(get.path("port").asText())).as(component + " " + probe + " port")
            .isEqualTo(ports.get(component));
        paths.add(get.path("path").asText());
      }
    }
    try (AppHttpServer server = new AppHttpServer(new Readiness(), Metrics.registry("chart-test"))) {
      server.listen("127.0.0.1", 0);
      HttpClient http = HttpClient.newHttpClient();
      for (String path : paths) {
        int status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode();
        assertThat(status).as("every app serves " + path).isEqualTo(200);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("installs")
  void everyPodRunsAsNonRootButTheCollectorWhichHasNoCapability(RenderedChart chart) {
    for (JsonNode workload : chart.workloads()) {
      String component = workload.at("/metadata/labels/app.kubernetes.io~1component").asText();
      for (JsonNode c : workload.at("/spec/template/spec/containers")) {
        JsonNode sc = c.path("securityContext");
        assertThat(sc.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
        assertThat(sc.path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(sc.at("/capabilities/drop").toString()).isEqualTo("[\"ALL\"]");
        assertThat(sc.at("/capabilities/add").isMissingNode()).isTrue();
        assertThat(sc.path("privileged").asBoolean(false)).isFalse();
        if (component.equals("collector")) {
          assertThat(sc.path("runAsUser").asInt()).as("documented: root owns the log files").isZero();
        } else {
          assertThat(sc.path("runAsNonRoot").asBoolean()).as(component).isTrue();
          assertThat(sc.path("runAsUser").asInt()).as(component).isPositive();
        }
      }
      assertThat(workload.at("/spec/template/spec/hostNetwork").asBoolean(false)).isFalse();
      assertThat(workload.at("/spec/template/spec/hostPID").asBoolean(false)).isFalse();
    }
    JsonNode collector = chart.ofKind("DaemonSet").getFirst();
    for (JsonNode mount : collector.at("/spec/template/spec/containers/0/volumeMounts")) {
      String path = mount.path("mountPath").asText();
      if (path.startsWith("/var/log") || path.startsWith("/var/lib/docker") || path.startsWith("/host")) {
        assertThat(mount.path("readOnly").asBoolean()).as(path + " is read-only").isTrue();
      }
    }
    assertThat(collector.at("/spec/template/spec/tolerations/0/operator").asText()).isEqualTo("Exists");
    assertThat(collector.at("/spec/template/spec/containers/0/env/0/valueFrom/fieldRef/fieldPath").asText())
        .isEqualTo("spec.nodeName");
  }

  @ParameterizedTest
  @MethodSource("installs")
  void selectorsSelectTheirPods(RenderedChart chart) {
    List<JsonNode> podLabels = new ArrayList<>();
    for (JsonNode w : chart.workloads()) {
      JsonNode labels = w.at("/spec/template/metadata/labels");
      assertThat(contains(labels, w.at("/spec/selector/matchLabels"))).as(w.at("/metadata/name").asText()).isTrue();
      podLabels.add(labels);
    }
    for (JsonNode s : chart.ofKind("Service")) {
      assertThat(podLabels).as("service " + s.at("/metadata/name")).anyMatch(l -> contains(l, s.at("/spec/selector")));
    }
    for (String kind : List.of("PodDisruptionBudget", "ServiceMonitor", "PodMonitor")) {
      for (JsonNode o : chart.ofKind(kind)) {
        assertThat(podLabels).as(kind + " " + o.at("/metadata/name"))
            .anyMatch(l -> contains(l, o.at("/spec/selector/matchLabels")));
      }
    }
    for (JsonNode n : chart.ofKind("NetworkPolicy")) {
      assertThat(podLabels).anyMatch(l -> contains(l, n.at("/spec/podSelector/matchLabels")));
    }
    for (JsonNode h : chart.ofKind("HorizontalPodAutoscaler")) {
      assertThat(chart.named("Deployment", h.at("/spec/scaleTargetRef/name").asText())).isPresent();
    }
  }

  private static boolean contains(JsonNode labels, JsonNode selector) {
    if (!selector.isObject() || selector.isEmpty()) {
      return false;
    }
    var fields = selector.fields();
    while (fields.hasNext()) {
      var e = fields.next();
      if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
        return false;
      }
    }
    return true;
  }

  @ParameterizedTest
  @MethodSource("installs")
  void rbacGrantsTheCollectorPodsAndItsKubeletAndNothingElse(RenderedChart chart) {
    assertThat(chart.ofKind("Role")).isEmpty();
    assertThat(chart.ofKind("RoleBinding")).isEmpty();
    List<JsonNode> roles = chart.ofKind("ClusterRole");
    assertThat(roles).hasSize(1);
    Set<String> grants = new TreeSet<>();
    for (JsonNode rule : roles.getFirst().path("rules")) {
      rule.path("apiGroups").forEach(g -> rule.path("resources").forEach(r -> rule.path("verbs").forEach(v ->
          grants.add(g.asText() + "/" + r.asText() + ":" + v.asText()))));
      assertThat(rule.has("nonResourceURLs")).isFalse();
      assertThat(rule.has("resourceNames")).isFalse();
    }
    assertThat(grants).containsExactlyInAnyOrder("/pods:get", "/pods:list", "/pods:watch", "/nodes:get",
        "/nodes/proxy:get");
    JsonNode binding = chart.ofKind("ClusterRoleBinding").getFirst();
    assertThat(binding.at("/subjects/0/name").asText()).isEqualTo("fleetlens-collector");
    assertThat(binding.at("/roleRef/name").asText()).isEqualTo(roles.getFirst().at("/metadata/name").asText());
    for (JsonNode d : chart.ofKind("Deployment")) {
      assertThat(d.at("/spec/template/spec/automountServiceAccountToken").asBoolean(true))
          .as("the backends need no API token").isFalse();
    }
  }

  @Test
  void theDashboardsConfigMapHoldsEveryDashboard() throws Exception {
    JsonNode map = defaults.named("ConfigMap", "fleetlens-grafana-dashboards").orElseThrow();
    assertThat(map.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
    Path dashboards = Path.of("..", "dashboards");
    Set<String> files = new TreeSet<>();
    try (Stream<Path> list = Files.list(dashboards)) {
      list.filter(p -> p.toString().endsWith(".json")).forEach(p -> files.add(p.getFileName().toString()));
    }
    assertThat(files).isNotEmpty();
    Set<String> keys = new TreeSet<>();
    map.path("data").fieldNames().forEachRemaining(keys::add);
    assertThat(keys).isEqualTo(files);
    for (String f : files) {
      assertThat(RenderedChart.YAML.readTree(map.path("data").path(f).asText()))
          .isEqualTo(RenderedChart.YAML.readTree(Files.readString(dashboards.resolve(f))));
    }
    JsonNode datasource = defaults.named("ConfigMap", "fleetlens-grafana-datasource").orElseThrow();
    assertThat(datasource.at("/metadata/labels/grafana_datasource").asText()).isEqualTo("1");
    assertThat(datasource.path("data").toString()).contains("http://fleetlens-query-api.observability.svc:8080");
  }

  @Test
  void invalidValuesFailAtRenderTimeWithTheSchemasMessage() {
    Map<String, String> noKafka = new HashMap<>(REQUIRED);
    noKafka.remove("kafka.bootstrapServers");
    assertThatThrownBy(() -> RenderedChart.render(List.of(), noKafka))
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining("bootstrapServers");
    Map<String, String> badQuantity = new HashMap<>(REQUIRED);
    badQuantity.put("collector.resources.limits.memory", "lots");
    assertThatThrownBy(() -> RenderedChart.render(List.of(), badQuantity))
        .hasMessageContaining("values don't meet the specifications of the schema").hasMessageContaining("memory");
    Map<String, String> wrongType = new HashMap<>(REQUIRED);
    wrongType.put("queryApi.replicas", "two");
    assertThatThrownBy(() -> RenderedChart.render(List.of(), wrongType))
        .hasMessageContaining("values don't meet the specifications of the schema").hasMessageContaining("replicas");
    Map<String, String> typo = new HashMap<>(REQUIRED);
    typo.put("queryApi.replica", "3");
    assertThatThrownBy(() -> RenderedChart.render(List.of(), typo))
        .hasMessageContaining("values don't meet the specifications of the schema").hasMessageContaining("replica");
    Map<String, String> noDatabase = new HashMap<>(REQUIRED);
    noDatabase.remove("database.jdbcUrl");
    assertThatThrownBy(() -> RenderedChart.render(List.of(), noDatabase)).hasMessageContaining("jdbcUrl");
  }

  @Test
  void theReadmeDocumentsEveryValue() throws Exception {
    JsonNode values = RenderedChart.YAML.readTree(RenderedChart.CHART.resolve("values.yaml").toFile());
    String readme = Files.readString(RenderedChart.CHART.resolve("README.md"));
    List<String> keys = new ArrayList<>();
    leaves("", values, keys);
    for (String key : keys) {
      String last = key.substring(key.lastIndexOf('.') + 1);
      assertThat(readme.contains("`" + key + "`") || readme.lines().anyMatch(l -> l.startsWith("| `")
          && l.contains(key.substring(0, key.lastIndexOf('.') + 1)) && l.contains("." + last + "`")))
          .as("README.md documents " + key).isTrue();
    }
    JsonNode schema = RenderedChart.YAML.readTree(RenderedChart.CHART.resolve("values.schema.json").toFile());
    values.fieldNames().forEachRemaining(k -> assertThat(schema.path("properties").has(k)).as("schema has " + k)
        .isTrue());
  }

  private static final Set<String> OPAQUE = Set.of("resources", "nodeSelector", "affinity", "extraConfig",
      "externalLabels", "labels", "annotations");

  private static void leaves(String prefix, JsonNode node, List<String> out) {
    if (node.isObject() && !node.isEmpty() && !OPAQUE.contains(prefix.substring(prefix.lastIndexOf('.') + 1))) {
      node.fieldNames().forEachRemaining(k -> leaves(prefix.isEmpty() ? k : prefix + "." + k, node.get(k), out));
    } else {
      out.add(prefix);
    }
  }
}
