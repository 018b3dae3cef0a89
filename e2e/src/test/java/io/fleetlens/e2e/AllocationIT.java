package io.fleetlens.e2e;

import io.fleetlens.testkit.RemoteWriteBodies;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
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

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import io.fleetlens.core.metrics.Sample;
import io.fleetlens.core.metrics.StaleNaN;
import io.fleetlens.testkit.ElasticsearchFixture;
import io.fleetlens.testkit.KafkaFixture;
import io.fleetlens.testkit.RealServers;

/**
 * Cost allocation of a fixture worked out by hand, sent through the real pipeline: four hours of
 * samples every 15 s from two clusters. Cluster {@code eu}: one m5.xlarge node (4 cores, 16 GiB),
 * priced 0.03 a core-hour and 0.004 a GiB-hour, then 0.04 and 0.005 from the third hour; cluster
 * {@code us}: one node of the same size priced only as a node, 0.20 an hour. Containers:
 * {@code eu/shop/cart-1} (requests 1 core and 2 GiB, uses 0.5 core and 3 GiB, four hours),
 * {@code us/shop/cart-9} (requests 2 cores and 4 GiB, uses 1 core and 2 GiB, the first two hours),
 * {@code eu/payments/ledger-0} (no CPU request, uses a quarter core; 1 GiB requested, half used); and
 * cluster {@code ml}: one g5.2xlarge node (8 cores, 32 GiB) at 0.03, 0.004 and 2.5 a GPU-hour, with
 * {@code research/trainer-0} asking for and using 2 cores, 8 GiB and one GPU.
 */
@ExtendWith(RealServers.class)
class AllocationIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final double GIB = 1024.0 * 1024 * 1024;
  private static final long STEP = 15_000;
  private static final long HOUR = 3_600_000;
  private static final double US_CPU_SHARE = 4 * 0.031611 / (4 * 0.031611 + 16 * 0.004237);
  private static final double US_CORE_HOUR = 0.20 * US_CPU_SHARE / 4;
  private static final double US_GIB_HOUR = 0.20 * (1 - US_CPU_SHARE) / 16;
  private static Pipeline pipeline;
  private static long t0;

  @BeforeAll
  static void seed(KafkaFixture kafka, ElasticsearchFixture elasticsearch) throws Exception {
    pipeline = new Pipeline("allocation", kafka, elasticsearch, 64 * 1024);
    t0 = (System.currentTimeMillis() - 5 * HOUR) / HOUR * HOUR;
    List<Sample> samples = new ArrayList<>();
    for (long t = t0; t < t0 + 4 * HOUR; t += STEP) { // four hours: the last sample 15 s before their end
      double s = (t - t0) / 1000.0;
      node(samples, "eu", "m5.xlarge", t);
      node(samples, "us", "n2-standard-4", t);
      container(samples, "eu", "shop", "cart-1", t, s, 1.0, 0.5, 2 * GIB, 3 * GIB);
      container(samples, "eu", "payments", "ledger-0", t, s, Double.NaN, 0.25, GIB, 0.5 * GIB);
      samples.add(new Sample("kube_pod_labels", new TreeMap<>(labels("eu", "shop", "cart-1", null, "label_team",
          "checkout")), t, 1));
      if (t < t0 + 2 * HOUR) {
        container(samples, "us", "shop", "cart-9", t, s, 2.0, 1.0, 4 * GIB, 2 * GIB);
      }
      node(samples, "ml", "g5.2xlarge", t);
      container(samples, "ml", "research", "trainer-0", t, s, 2.0, 2.0, 8 * GIB, 8 * GIB);
      samples.add(new Sample("kube_pod_container_resource_requests", with(labels("ml", "research", "trainer-0", "app"),
          "resource", "nvidia.com/gpu", "unit", "integer"), t, 1));
    }
    // cart-9 ended after two hours: its series end with stale markers, as Prometheus marks them
    for (String name : List.of("kube_pod_container_resource_requests", "container_cpu_usage_seconds_total",
        "container_memory_working_set_bytes")) {
      for (String resource : name.startsWith("kube") ? List.of("cpu", "memory") : List.of("")) {
        Map<String, String> l = labels("us", "shop", "cart-9", "app");
        if (!resource.isEmpty()) {
          l.put("resource", resource);
          l.put("unit", resource.equals("cpu") ? "core" : "byte");
        }
        samples.add(new Sample(name, new TreeMap<>(l), t0 + 2 * HOUR + STEP, StaleNaN.VALUE));
      }
    }
    for (int from = 0; from < samples.size(); from += 5_000) {
      HttpResponse<String> r = post(pipeline.aggregatorUrl() + "/api/v1/write", "application/x-protobuf",
          RemoteWriteBodies.of(samples.subList(from, Math.min(samples.size(), from + 5_000))));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
    }
    String sheets = pipeline.queryUrl() + "/api/v1/pricing/price-sheets";
    for (String sheet : List.of(
        "{\"cluster\":\"eu\",\"currency\":\"EUR\",\"cpuCoreHour\":\"0.03\",\"ramGibHour\":\"0.004\",\"effectiveFrom\":\""
            + Instant.ofEpochMilli(t0 - 24 * HOUR) + "\",\"effectiveTo\":\"" + Instant.ofEpochMilli(t0 + 2 * HOUR) + "\"}",
        "{\"cluster\":\"eu\",\"currency\":\"EUR\",\"cpuCoreHour\":\"0.04\",\"ramGibHour\":\"0.005\",\"effectiveFrom\":\""
            + Instant.ofEpochMilli(t0 + 2 * HOUR) + "\"}",
        "{\"cluster\":\"us\",\"currency\":\"EUR\",\"nodeHour\":\"0.20\",\"effectiveFrom\":\""
            + Instant.ofEpochMilli(t0 - 24 * HOUR) + "\"}",
        "{\"cluster\":\"ml\",\"currency\":\"EUR\",\"cpuCoreHour\":\"0.03\",\"ramGibHour\":\"0.004\",\"gpuHour\":\"2.5\","
            + "\"effectiveFrom\":\"" + Instant.ofEpochMilli(t0 - 24 * HOUR) + "\"}")) {
      HttpResponse<String> r = post(sheets, "application/json", sheet.getBytes(StandardCharsets.UTF_8));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }
    Instant deadline = Instant.now().plusSeconds(120);
    while (stored() < samples.size()) {
      assertThat(Instant.now()).as("the fixture is stored").isBefore(deadline);
      Thread.sleep(250);
    }
    Thread.sleep(1_000);
  }

  private static double stored() throws Exception {
    String metrics = pipeline.aggregatorUrl() + "/metrics";
    return Http.metric(metrics, "fleetlens_aggregator_samples_total{app=\"aggregator\",result=\"stored\"}")
        + Http.metric(metrics, "fleetlens_aggregator_samples_total{app=\"aggregator\",result=\"duplicate\"}");
  }

  private static Map<String, String> labels(String cluster, String namespace, String pod, String container,
      String... more) {
    Map<String, String> l = new TreeMap<>(Map.of("cluster", cluster, "node", cluster + "-1", "namespace", namespace,
        "pod", pod, "workload", pod.replaceAll("-\\d+$", ""), "workload_kind", "Deployment"));
    if (container != null) {
      l.put("container", container);
    }
    for (int i = 0; i + 1 < more.length; i += 2) {
      l.put(more[i], more[i + 1]);
    }
    return l;
  }

  private static void node(List<Sample> out, String cluster, String type, long t) {
    Map<String, String> n = Map.of("cluster", cluster, "node", cluster + "-1");
    double size = cluster.equals("ml") ? 2 : 1; // ml's node is twice the others
    out.add(new Sample("kube_node_status_capacity", with(n, "resource", "cpu", "unit", "core"), t, 4 * size));
    out.add(new Sample("kube_node_status_capacity", with(n, "resource", "memory", "unit", "byte"), t,
        16 * GIB * size));
    out.add(new Sample("kube_node_labels", with(n, "label_node_kubernetes_io_instance_type", type), t, 1));
  }

  private static void container(List<Sample> out, String cluster, String namespace, String pod, long t, double s,
      double cpuRequest, double cpuUsed, double ramRequest, double ramUsed) {
    Map<String, String> c = labels(cluster, namespace, pod, "app");
    if (!Double.isNaN(cpuRequest)) {
      out.add(new Sample("kube_pod_container_resource_requests", with(c, "resource", "cpu", "unit", "core"), t,
          cpuRequest));
    }
    out.add(new Sample("kube_pod_container_resource_requests", with(c, "resource", "memory", "unit", "byte"), t,
        ramRequest));
    out.add(new Sample("container_cpu_usage_seconds_total", new TreeMap<>(c), t, cpuUsed * s));
    out.add(new Sample("container_memory_working_set_bytes", new TreeMap<>(c), t, ramUsed));
  }

  private static TreeMap<String, String> with(Map<String, String> base, String... pairs) {
    TreeMap<String, String> l = new TreeMap<>(base);
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      l.put(pairs[i], pairs[i + 1]);
    }
    return l;
  }

  private static HttpResponse<String> post(String url, String type, byte[] body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", type)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (type.contains("protobuf")) {
      b.header("Content-Encoding", "snappy");
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @AfterAll
  static void stop() throws Exception {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  private static JsonNode allocation(String query) throws Exception {
    Http.Response r = Http.get(pipeline.queryUrl() + "/api/v1/allocation?window="
        + URLEncoder.encode(Instant.ofEpochMilli(t0) + "," + Instant.ofEpochMilli(t0 + 4 * HOUR), StandardCharsets.UTF_8)
        + "&" + query);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  private static void assertCents(JsonNode value, double expected) {
    assertThat(value.isNumber()).as(value.toString()).isTrue();
    assertThat(cents(value.asDouble())).as("%s vs %s", value.asDouble(), expected).isEqualTo(cents(expected));
  }

  private static BigDecimal cents(double v) {
    return BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_UP);
  }

  @Test
  void costsIdleAndEfficienciesComeOutAsWorkedOutByHand() throws Exception {
    JsonNode set = allocation("aggregate=namespace&includeIdle=true").path("data").get(0);
    assertThat(fieldNames(set)).containsExactlyInAnyOrder("eu/shop", "us/shop", "eu/payments", "ml/research",
        "eu/__idle__", "us/__idle__", "ml/__idle__");
    JsonNode research = set.path("ml/research"); // 2 cores, 8 GiB and a GPU for four hours
    assertThat(research.path("gpuHours").asDouble()).isCloseTo(4, org.assertj.core.data.Offset.offset(1e-6));
    assertCents(research.path("gpuCost"), 4 * 2.5);
    assertCents(research.path("totalCost"), 2 * 4 * 0.03 + 8 * 4 * 0.004 + 4 * 2.5);
    JsonNode euShop = set.path("eu/shop");
    assertCents(euShop.path("cpuCost"), 1 * (0.03 * 2 + 0.04 * 2));
    assertCents(euShop.path("ramCost"), 3 * (0.004 * 2 + 0.005 * 2));
    assertCents(euShop.path("totalCost"), 0.194);
    assertThat(euShop.path("cpuCoreHours").asDouble()).isCloseTo(4, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(euShop.path("cpuEfficiency").asDouble()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(euShop.path("ramEfficiency").asDouble()).isCloseTo(1.5, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(euShop.path("minutes").asDouble()).isEqualTo(240);
    assertThat(euShop.path("properties").path("cluster").asText()).isEqualTo("eu");

    JsonNode usShop = set.path("us/shop");
    assertCents(usShop.path("totalCost"), 2 * 2 * US_CORE_HOUR + 4 * 2 * US_GIB_HOUR);
    assertThat(usShop.path("minutes").asDouble()).isEqualTo(120);
    assertCents(set.path("eu/payments").path("totalCost"), 0.25 * 0.14 + 0.018);
    assertThat(set.path("eu/payments").path("cpuEfficiency").isNull()).isTrue();
    assertCents(set.path("eu/__idle__").path("totalCost"), 2.75 * 0.14 + 12 * 0.018);
    assertCents(set.path("us/__idle__").path("totalCost"), (2 * 2 + 4 * 2) * US_CORE_HOUR
        + (12 * 2 + 16 * 2) * US_GIB_HOUR);
    // what the us node cost in all is what its container and its idle cost together
    assertThat(cents(usShop.path("totalCost").asDouble() + set.path("us/__idle__").path("totalCost").asDouble()))
        .isEqualTo(cents(0.80));
  }

  @Test
  void otherGroupingsSharedIdleAndHourlySets() throws Exception {
    JsonNode byLabel = allocation("aggregate=label:team").path("data").get(0);
    assertThat(fieldNames(byLabel)).containsExactlyInAnyOrder("eu/checkout", "eu/__unallocated__",
        "us/__unallocated__", "ml/__unallocated__");
    JsonNode shared = allocation("aggregate=cluster&shareIdle=true").path("data").get(0);
    assertCents(shared.path("us").path("totalCost"), 0.80);
    assertCents(shared.path("eu").path("totalCost"), 0.194 + 0.053 + 2.75 * 0.14 + 12 * 0.018);
    JsonNode hourly = allocation("aggregate=controller&step=1h").path("data");
    assertThat(hourly).hasSize(4);
    assertCents(hourly.get(0).path("eu/cart").path("totalCost"), 0.03 + 3 * 0.004);
    assertCents(hourly.get(3).path("eu/cart").path("totalCost"), 0.04 + 3 * 0.005);
    assertThat(hourly.get(3).has("us/cart")).isFalse();
  }

  @Test
  void rightSizingRecommendsFromUsagePlusHeadroomAndSaysWhatItSaves() throws Exception {
    Http.Response r = Http.get(pipeline.queryUrl() + "/api/v1/recommendations?resolution=5m&window="
        + URLEncoder.encode(Instant.ofEpochMilli(t0) + "," + Instant.ofEpochMilli(t0 + 4 * HOUR), StandardCharsets.UTF_8));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode list = r.json().path("recommendations");
    assertThat(list.findValuesAsText("controller")).containsExactly("cart", "cart", "ledger", "trainer");
    JsonNode us = list.get(0); // two hours of four: half a pod on average; 2 cores and 4 GiB asked, 1 and 2 used
    assertThat(us.path("cluster").asText()).isEqualTo("us");
    assertThat(us.path("pods").asDouble()).isEqualTo(0.5);
    assertThat(us.path("cpuCoreRecommended").asDouble()).isCloseTo(1.15, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(us.path("ramByteRecommended").asDouble()).isCloseTo(2.3 * GIB, org.assertj.core.data.Offset.offset(1.0));
    assertCents(us.path("monthlySaving"), 0.5 * 730 * (0.85 * US_CORE_HOUR + 1.7 * US_GIB_HOUR));
    JsonNode eu = list.get(1); // 1 core and 2 GiB asked, 0.5 and 3 used: CPU saves, memory costs, at today's prices
    assertThat(eu.path("cpuCoreRequest").asDouble()).isEqualTo(1.0);
    assertCents(eu.path("monthlySaving"), 730 * ((1 - 0.575) * 0.04 + (2 - 3.45) * 0.005));
    assertThat(eu.path("currency").asText()).isEqualTo("EUR");
    assertCents(list.get(2).path("monthlySaving"), 730 * ((0 - 0.2875) * 0.04 + (1 - 0.575) * 0.005)); // under-asked
    assertCents(list.get(3).path("monthlySaving"), 730 * ((2 - 2.3) * 0.03 + (8 - 9.2) * 0.004)); // fully used
    Http.Response bad = Http.get(pipeline.queryUrl() + "/api/v1/recommendations?cpuPercentile=90");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().path("parameter").asText()).isEqualTo("cpuPercentile");
  }

  @Test
  void showbackGivesEachTeamInEachClusterItsMonthWithIdleSharedAsJsonAndCsv() throws Exception {
    java.time.YearMonth month = java.time.YearMonth.from(Instant.ofEpochMilli(t0).atZone(java.time.ZoneOffset.UTC));
    org.junit.jupiter.api.Assumptions.assumeTrue(month.equals(java.time.YearMonth.from(
        Instant.ofEpochMilli(t0 + 4 * HOUR).atZone(java.time.ZoneOffset.UTC))), "the fixture spans two months");
    Http.Response r = Http.get(pipeline.queryUrl() + "/api/v1/showback?month=" + month + "&by=label:team");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode rows = r.json().path("rows");
    assertThat(rows.findValuesAsText("label:team")).containsExactly("__unallocated__", "__unallocated__",
        "__unallocated__", "checkout");
    assertThat(rows.findValuesAsText("cluster")).containsExactly("eu", "ml", "us", "eu");
    double euIdle = 2.75 * 0.14 + 12 * 0.018;
    double ml = 8 * 4 * 0.03 + 32 * 4 * 0.004 + 4 * 2.5; // the whole node's CPU and RAM (in use or idle), and the GPU
    assertCents(rows.get(3).path("totalCost"), 0.194 + euIdle * 0.194 / 0.247);
    assertCents(rows.get(0).path("totalCost"), 0.053 + euIdle * 0.053 / 0.247);
    assertCents(rows.get(1).path("totalCost"), ml);
    assertCents(rows.get(1).path("gpuCost"), 10);
    assertCents(rows.get(2).path("totalCost"), 0.80);
    assertCents(r.json().path("totals").path("totalCost"), 0.247 + euIdle + 0.80 + ml);
    assertThat(r.json().path("currency").asText()).isEqualTo("EUR");

    HttpResponse<String> csv = HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.queryUrl()
        + "/api/v1/showback?month=" + month + "&by=label:team")).header("Accept", "text/csv").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
    List<String> lines = csv.body().lines().toList();
    assertThat(lines.get(0)).isEqualTo("label:team,cluster,cpuCost,ramCost,gpuCost,pvCost,totalCost,currency");
    assertThat(lines.get(4)).startsWith("checkout,eu,").endsWith("," + cents(0.194 + euIdle * 0.194 / 0.247) + ",EUR");
    assertThat(lines.get(5)).isEqualTo("__total__,,,,,," + cents(0.247 + euIdle + 0.80 + ml) + ",EUR");
    Http.Response bad = Http.get(pipeline.queryUrl() + "/api/v1/showback?month=November");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().path("parameter").asText()).isEqualTo("month");
  }

  @Test
  void badQuestionsGet400NamingTheParameter() throws Exception {
    for (String[] bad : new String[][] {{"window=24h&aggregate=colour", "aggregate"}, {"window=soon", "window"},
        {"window=" + URLEncoder.encode(Instant.ofEpochMilli(t0 + HOUR) + "," + Instant.ofEpochMilli(t0),
            StandardCharsets.UTF_8), "window"}, {"window=24h&resolution=10s", "resolution"},
        {"window=24h&includeIdle=maybe", "includeIdle"}, {"window=24h&step=90s", "step"}}) {
      Http.Response r = Http.get(pipeline.queryUrl() + "/api/v1/allocation?" + bad[0]);
      assertThat(r.status()).as(bad[0] + " -> " + r.body()).isEqualTo(400);
      assertThat(r.json().path("parameter").asText()).isEqualTo(bad[1]);
    }
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
