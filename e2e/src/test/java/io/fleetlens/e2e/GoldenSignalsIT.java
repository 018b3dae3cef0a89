package io.fleetlens.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import io.fleetlens.testkit.ElasticsearchFixture;
import io.fleetlens.testkit.KafkaFixture;
import io.fleetlens.testkit.RealServers;

/**
 * Golden signals of three services over half an hour of generated data that went through the real
 * pipeline: {@code checkout} with Micrometer's metrics and {@code search} with OpenTelemetry's, both
 * remote-written, and {@code legacy}, which only writes ingress-nginx-style access logs that the
 * collector reads and the aggregator counts. Each answer is checked against the value worked out
 * from the generator's rates with the textbook formulas (rate, ratio, linear interpolation in a
 * histogram bucket), within 1%.
 */
@ExtendWith(RealServers.class)
class GoldenSignalsIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String NS = "shop";
  private static final long STEP = 15_000;
  private static final int POINTS = 120; // half an hour
  private static Pipeline pipeline;
  private static String cluster;
  private static long end;

  // checkout (Micrometer), per pod and second
  private static final double CHECKOUT_OK = 5;
  private static final double CHECKOUT_FAILED = 0.25;
  private static final double[] CHECKOUT_LE = {0.05, 0.1, 0.25, 0.5, 1};
  private static final double[] CHECKOUT_IN_BUCKET = {2.625, 1.575, 0.7875, 0.21, 0.0525}; // sums to 5.25
  private static final double CHECKOUT_MEAN = 0.08;
  // search (OpenTelemetry), per pod and second
  private static final double SEARCH_OK = 1;
  private static final double SEARCH_FAILED = 0.025;
  private static final double[] SEARCH_LE = {0.1, 0.25, 0.5};
  private static final double[] SEARCH_IN_BUCKET = {0.5125, 0.41, 0.1025}; // sums to 1.025
  // legacy (access logs): two lines a second, every tenth a 500; durations repeat every ten lines
  private static final double[] LEGACY_DURATIONS = {0.02, 0.2, 0.02, 0.2, 0.02, 0.2, 0.02, 0.2, 0.02, 0.8};
  private static final double[] DEFAULT_LE = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  @BeforeAll
  static void seed(KafkaFixture kafka, ElasticsearchFixture elasticsearch) throws Exception {
    pipeline = new Pipeline("golden", kafka, elasticsearch, 64 * 1024);
    cluster = pipeline.name;
    end = (System.currentTimeMillis() - 60_000) / STEP * STEP;
    long start = end - (POINTS - 1) * STEP;
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < POINTS; i++) {
      long t = start + i * STEP;
      double seconds = (t - start) / 1000.0;
      for (String pod : List.of("checkout-7d9f-a", "checkout-7d9f-b")) {
        micrometer(samples, pod, t, seconds);
        containers(samples, "checkout", pod, t, seconds);
      }
      for (String pod : List.of("search-0", "search-1")) {
        openTelemetry(samples, pod, t, seconds);
        containers(samples, "search", pod, t, seconds);
      }
      containers(samples, "legacy", "legacy", t, seconds);
    }
    for (int from = 0; from < samples.size(); from += 5_000) {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.aggregatorUrl()
          + "/api/v1/write")).header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
          .POST(HttpRequest.BodyPublishers.ofByteArray(RemoteWriteBodies.of(
              samples.subList(from, Math.min(samples.size(), from + 5_000))))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
    }
    // legacy's access log, from the first slot to the last, two lines a second
    for (long t = start - STEP; t < end; t += 500) {
      int n = (int) ((t - (start - STEP)) / 500);
      int status = n % 10 == 9 ? 500 : 200;
      double duration = LEGACY_DURATIONS[n % 10];
      pipeline.pods.cri(NS, "legacy", "nginx", "stdout", false, "10.0.0." + (n % 250) + " - - [23/Nov/2026:08:00:00"
          + " +0000] \"GET /item/" + n + " HTTP/1.1\" " + status + " 512 \"-\" \"probe/1.0\" 120 " + duration
          + " [shop-legacy-80] [] 10.1.0.4:80 512 " + duration + " " + status + " req" + n, Instant.ofEpochMilli(t));
    }
    pipeline.collector.start();
  }

  private static void micrometer(List<Sample> out, String pod, long t, double s) {
    Map<String, String> base = labels(pod, "checkout");
    out.add(sample("http_server_requests_seconds_count", base, "status", "200", t, CHECKOUT_OK * s));
    out.add(sample("http_server_requests_seconds_count", base, "status", "500", t, CHECKOUT_FAILED * s));
    out.add(sample("http_server_requests_seconds_sum", base, "status", "200", t, CHECKOUT_MEAN * CHECKOUT_OK * s));
    out.add(sample("http_server_requests_seconds_sum", base, "status", "500", t,
        CHECKOUT_MEAN * CHECKOUT_FAILED * s));
    double cumulative = 0;
    for (int b = 0; b < CHECKOUT_LE.length; b++) {
      cumulative += CHECKOUT_IN_BUCKET[b];
      out.add(sample("http_server_requests_seconds_bucket", base, "le", Double.toString(CHECKOUT_LE[b]), t,
          cumulative * s));
    }
    out.add(sample("http_server_requests_seconds_bucket", base, "le", "+Inf", t, cumulative * s));
  }

  private static void openTelemetry(List<Sample> out, String pod, long t, double s) {
    Map<String, String> base = labels(pod, "search");
    out.add(sample("http_server_request_duration_seconds_count", base, "http_response_status_code", "200", t,
        SEARCH_OK * s));
    out.add(sample("http_server_request_duration_seconds_count", base, "http_response_status_code", "503", t,
        SEARCH_FAILED * s));
    double cumulative = 0;
    for (int b = 0; b < SEARCH_LE.length; b++) {
      cumulative += SEARCH_IN_BUCKET[b];
      out.add(sample("http_server_request_duration_seconds_bucket", base, "le", Double.toString(SEARCH_LE[b]), t,
          cumulative * s));
    }
    out.add(sample("http_server_request_duration_seconds_bucket", base, "le", "+Inf", t, cumulative * s));
  }

  /** Per pod: a quarter of a core used, half a core requested, one core the limit, half the memory limit. */
  private static void containers(List<Sample> out, String workload, String pod, long t, double s) {
    Map<String, String> base = labels(pod, workload);
    base.put("container", "main");
    out.add(sample("container_cpu_usage_seconds_total", base, null, null, t, 0.25 * s));
    out.add(sample("container_memory_working_set_bytes", base, null, null, t, 256 * 1024 * 1024));
    out.add(sample("container_cpu_cfs_periods_total", base, null, null, t, 10 * s));
    out.add(sample("container_cpu_cfs_throttled_periods_total", base, null, null, t, 1 * s));
    Map<String, String> cpu = new TreeMap<>(base);
    cpu.put("resource", "cpu");
    cpu.put("unit", "core");
    out.add(sample("kube_pod_container_resource_requests", cpu, null, null, t, 0.5));
    out.add(sample("kube_pod_container_resource_limits", cpu, null, null, t, 1));
    Map<String, String> memory = new TreeMap<>(base);
    memory.put("resource", "memory");
    memory.put("unit", "byte");
    out.add(sample("kube_pod_container_resource_limits", memory, null, null, t, 512 * 1024 * 1024));
  }

  private static Map<String, String> labels(String pod, String workload) {
    return new TreeMap<>(Map.of("cluster", cluster, "namespace", NS, "pod", pod, "workload", workload,
        "workload_kind", "Deployment", "job", "kubernetes-pods"));
  }

  private static Sample sample(String name, Map<String, String> base, String label, String value, long t, double v) {
    TreeMap<String, String> labels = new TreeMap<>(base);
    if (label != null) {
      labels.put(label, value);
    }
    return new Sample(name, labels, t, v);
  }

  @AfterAll
  static void stop() throws Exception {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  /** The q-quantile of requests spread over buckets at these rates, interpolating linearly in a bucket. */
  private static double quantile(double q, double[] upperBounds, double[] inBucket) {
    double total = 0;
    for (double r : inBucket) {
      total += r;
    }
    double rank = q * total;
    double below = 0;
    double lower = 0;
    for (int b = 0; b < inBucket.length; b++) {
      if (below + inBucket[b] >= rank) {
        return lower + (upperBounds[b] - lower) * (rank - below) / inBucket[b];
      }
      below += inBucket[b];
      lower = upperBounds[b];
    }
    throw new IllegalArgumentException("rank beyond the last bucket");
  }

  private static JsonNode signals(String workload) throws Exception {
    Http.Response r = Http.get(pipeline.queryUrl() + "/api/v1/golden-signals?cluster=" + cluster + "&namespace=" + NS
        + "&workload=" + workload + "&window=30m&time=" + end / 1000);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  /** Waits until the workload's traffic is what was generated (the pipeline has caught up). */
  private static JsonNode awaitSignals(String workload, double traffic) throws Exception {
    Instant deadline = Instant.now().plusSeconds(120);
    while (true) {
      Http.Response r = Http.get(pipeline.queryUrl() + "/api/v1/golden-signals?cluster=" + cluster + "&namespace="
          + NS + "&workload=" + workload + "&window=30m&time=" + end / 1000);
      if (r.status() == 200) {
        JsonNode v = r.json().path("traffic").path("value");
        if (v.isNumber() && Math.abs(v.asDouble() - traffic) <= 0.01 * traffic) {
          return r.json();
        }
      }
      assertThat(Instant.now()).as(workload + ": " + r.body()).isBefore(deadline);
      Thread.sleep(500);
    }
  }

  private static void assertNear(JsonNode signal, double expected) {
    assertThat(signal.path("value").isNumber()).as(signal.toString()).isTrue();
    assertThat(signal.path("value").asDouble()).as(signal.path("promql").asText())
        .isCloseTo(expected, within(Math.abs(expected) * 0.01));
  }

  private static void assertSaturation(JsonNode saturation) {
    assertThat(saturation.path("source").asText()).isEqualTo("container-metrics");
    assertNear(saturation.path("cpu_vs_limit"), 0.25);
    assertNear(saturation.path("cpu_vs_request"), 0.5);
    assertNear(saturation.path("memory_vs_limit"), 0.5);
    assertNear(saturation.path("cpu_throttling"), 0.1);
  }

  @Test
  void aServiceWithMicrometerMetricsGetsItsSignalsFromThem() throws Exception {
    JsonNode s = awaitSignals("checkout", 2 * (CHECKOUT_OK + CHECKOUT_FAILED));
    assertThat(s.path("traffic").path("source").asText()).isEqualTo("micrometer");
    assertNear(s.path("errors"), CHECKOUT_FAILED / (CHECKOUT_OK + CHECKOUT_FAILED));
    assertNear(s.path("latency").path("p50"), quantile(0.5, CHECKOUT_LE, CHECKOUT_IN_BUCKET));
    assertNear(s.path("latency").path("p90"), quantile(0.9, CHECKOUT_LE, CHECKOUT_IN_BUCKET));
    assertNear(s.path("latency").path("p99"), quantile(0.99, CHECKOUT_LE, CHECKOUT_IN_BUCKET));
    assertNear(s.path("latency").path("mean"), CHECKOUT_MEAN);
    assertSaturation(s.path("saturation"));
    assertThat(s.path("traffic").path("series").size()).isBetween(100, 121);
    assertThat(s.path("traffic").path("promql").asText()).contains("http_server_requests_seconds_count");
  }

  @Test
  void aServiceWithOpenTelemetryMetricsGetsItsSignalsFromThem() throws Exception {
    JsonNode s = awaitSignals("search", 2 * (SEARCH_OK + SEARCH_FAILED));
    assertThat(s.path("latency").path("source").asText()).isEqualTo("opentelemetry");
    assertNear(s.path("errors"), SEARCH_FAILED / (SEARCH_OK + SEARCH_FAILED));
    assertNear(s.path("latency").path("p50"), quantile(0.5, SEARCH_LE, SEARCH_IN_BUCKET));
    assertNear(s.path("latency").path("p99"), quantile(0.99, SEARCH_LE, SEARCH_IN_BUCKET));
    assertSaturation(s.path("saturation"));
  }

  @Test
  void aServiceThatOnlyWritesAccessLogsGetsAllFourSignalsAndTheAnswerSaysSo() throws Exception {
    JsonNode s = awaitSignals("legacy", 2);
    assertThat(s.path("traffic").path("source").asText()).isEqualTo("access-logs");
    assertThat(s.path("errors").path("source").asText()).isEqualTo("access-logs");
    assertThat(s.path("latency").path("source").asText()).isEqualTo("access-logs");
    assertNear(s.path("errors"), 0.1);
    double[] inBucket = new double[DEFAULT_LE.length];
    double mean = 0;
    for (double d : LEGACY_DURATIONS) {
      int b = 0;
      while (d > DEFAULT_LE[b]) {
        b++;
      }
      inBucket[b] += 1;
      mean += d / LEGACY_DURATIONS.length;
    }
    assertNear(s.path("latency").path("p50"), quantile(0.5, DEFAULT_LE, inBucket));
    assertNear(s.path("latency").path("p90"), quantile(0.9, DEFAULT_LE, inBucket));
    assertNear(s.path("latency").path("p99"), quantile(0.99, DEFAULT_LE, inBucket));
    assertNear(s.path("latency").path("mean"), mean);
    assertSaturation(s.path("saturation"));
  }

  @Test
  void theFleetViewRanksEveryWorkloadByWhatIsAsked() throws Exception {
    awaitSignals("legacy", 2);
    awaitSignals("checkout", 2 * (CHECKOUT_OK + CHECKOUT_FAILED));
    awaitSignals("search", 2 * (SEARCH_OK + SEARCH_FAILED));
    JsonNode byErrors = fleet("sort=errors");
    assertThat(byErrors.path("workloads").findValuesAsText("workload")).containsExactly("legacy", "checkout",
        "search");
    JsonNode first = byErrors.path("workloads").get(0);
    assertThat(first.path("source").asText()).isEqualTo("access-logs");
    assertThat(first.path("errors").asDouble()).isCloseTo(0.1, within(0.001));
    assertThat(first.path("saturation").asDouble()).isCloseTo(0.5, within(0.005));
    assertThat(fleet("sort=traffic").path("workloads").findValuesAsText("workload")).containsExactly("checkout",
        "search", "legacy");
    assertThat(fleet("sort=latency&limit=1").path("workloads").findValuesAsText("workload"))
        .containsExactly("legacy");
  }

  private static JsonNode fleet(String query) throws Exception {
    Http.Response r = Http.get(pipeline.queryUrl() + "/api/v1/golden-signals/fleet?window=30m&time=" + end / 1000
        + "&" + query);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  @Test
  void badQuestionsGetClearErrors() throws Exception {
    String base = pipeline.queryUrl() + "/api/v1/golden-signals";
    Http.Response unknown = Http.get(base + "?cluster=" + cluster + "&namespace=" + NS + "&workload=nobody");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().path("error").asText()).isEqualTo("unknown_workload");
    for (String bad : List.of("?namespace=shop&workload=x", "?cluster=c&namespace=shop&workload=x&window=1s",
        "?cluster=c&namespace=shop&workload=x&window=30d", "?cluster=c%22&namespace=shop&workload=x",
        "?cluster=c&namespace=shop&workload=x&window=soon", "?cluster=c&namespace=shop&workload=x&time=yesterday",
        "/fleet?sort=loudness", "/fleet?limit=0")) {
      Http.Response r = Http.get(base + bad);
      assertThat(r.status()).as(bad + " -> " + r.body()).isEqualTo(400);
      assertThat(r.json().path("error").asText()).isEqualTo("bad_parameter");
      assertThat(r.json().path("message").asText()).isNotEmpty();
    }
    assertThat(signals("checkout").path("workload").asText()).isEqualTo("checkout"); // still serving
  }
}
