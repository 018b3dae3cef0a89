package io.fleetlens.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import io.fleetlens.testkit.ElasticsearchFixture;
import io.fleetlens.testkit.KafkaFixture;
import io.fleetlens.testkit.RealServers;

/**
 * Golden signals of the three services of {@link ShopDataset}, whose data went through the real
 * pipeline. Each answer is checked against the value worked out from the generator's rates with the
 * textbook formulas (rate, ratio, linear interpolation in a histogram bucket), within 1%.
 */
@ExtendWith(RealServers.class)
class GoldenSignalsIT {

  private static final String NS = ShopDataset.NS;
  private static Pipeline pipeline;
  private static String cluster;
  private static long end;

  @BeforeAll
  static void seed(KafkaFixture kafka, ElasticsearchFixture elasticsearch) throws Exception {
    pipeline = new Pipeline("golden", kafka, elasticsearch, 64 * 1024);
    cluster = pipeline.name;
    end = ShopDataset.seed(pipeline);
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
    JsonNode s = awaitSignals("checkout", 2 * (ShopDataset.CHECKOUT_OK + ShopDataset.CHECKOUT_FAILED));
    assertThat(s.path("traffic").path("source").asText()).isEqualTo("micrometer");
    assertNear(s.path("errors"), ShopDataset.CHECKOUT_FAILED / (ShopDataset.CHECKOUT_OK + ShopDataset.CHECKOUT_FAILED));
    assertNear(s.path("latency").path("p50"), quantile(0.5, ShopDataset.CHECKOUT_LE, ShopDataset.CHECKOUT_IN_BUCKET));
    assertNear(s.path("latency").path("p90"), quantile(0.9, ShopDataset.CHECKOUT_LE, ShopDataset.CHECKOUT_IN_BUCKET));
    assertNear(s.path("latency").path("p99"), quantile(0.99, ShopDataset.CHECKOUT_LE, ShopDataset.CHECKOUT_IN_BUCKET));
    assertNear(s.path("latency").path("mean"), ShopDataset.CHECKOUT_MEAN);
    assertSaturation(s.path("saturation"));
    assertThat(s.path("traffic").path("series").size()).isBetween(100, 121);
    assertThat(s.path("traffic").path("promql").asText()).contains("http_server_requests_seconds_count");
  }

  @Test
  void aServiceWithOpenTelemetryMetricsGetsItsSignalsFromThem() throws Exception {
    JsonNode s = awaitSignals("search", 2 * (ShopDataset.SEARCH_OK + ShopDataset.SEARCH_FAILED));
    assertThat(s.path("latency").path("source").asText()).isEqualTo("opentelemetry");
    assertNear(s.path("errors"), ShopDataset.SEARCH_FAILED / (ShopDataset.SEARCH_OK + ShopDataset.SEARCH_FAILED));
    assertNear(s.path("latency").path("p50"), quantile(0.5, ShopDataset.SEARCH_LE, ShopDataset.SEARCH_IN_BUCKET));
    assertNear(s.path("latency").path("p99"), quantile(0.99, ShopDataset.SEARCH_LE, ShopDataset.SEARCH_IN_BUCKET));
    assertNear(s.path("latency").path("mean"), ShopDataset.SEARCH_MEAN);
    assertSaturation(s.path("saturation"));
  }

  @Test
  void aGrpcServiceCountsOnlyTheServersFailuresAsErrors() throws Exception {
    double total = ShopDataset.INVENTORY_OK + ShopDataset.INVENTORY_NOT_FOUND + ShopDataset.INVENTORY_UNAVAILABLE;
    JsonNode s = awaitSignals("inventory", 2 * total);
    assertThat(s.path("errors").path("source").asText()).isEqualTo("grpc");
    assertNear(s.path("errors"), ShopDataset.INVENTORY_UNAVAILABLE / total);
    assertNear(s.path("latency").path("p99"), quantile(0.99, ShopDataset.INVENTORY_LE, ShopDataset.INVENTORY_IN_BUCKET));
    assertNear(s.path("latency").path("mean"), 0.02);
    assertSaturation(s.path("saturation"));
  }

  @Test
  void aServiceBehindIngressNginxGetsItsRequestSignalsFromTheController() throws Exception {
    JsonNode s = awaitSignals("catalog", ShopDataset.CATALOG_OK + ShopDataset.CATALOG_FAILED);
    assertThat(s.path("traffic").path("source").asText()).isEqualTo("ingress-nginx");
    assertNear(s.path("errors"), ShopDataset.CATALOG_FAILED / (ShopDataset.CATALOG_OK + ShopDataset.CATALOG_FAILED));
    assertNear(s.path("latency").path("p90"), quantile(0.9, ShopDataset.CATALOG_LE, ShopDataset.CATALOG_IN_BUCKET));
    assertNear(s.path("latency").path("p99"), quantile(0.99, ShopDataset.CATALOG_LE, ShopDataset.CATALOG_IN_BUCKET));
    assertNear(s.path("latency").path("mean"), 0.06);
    assertThat(s.path("saturation").path("cpu_vs_limit").path("value").isNull()).isTrue(); // no pods of its own here
  }

  @Test
  void aServiceThatOnlyWritesAccessLogsGetsAllFourSignalsAndTheAnswerSaysSo() throws Exception {
    JsonNode s = awaitSignals("legacy", 2);
    assertThat(s.path("traffic").path("source").asText()).isEqualTo("access-logs");
    assertThat(s.path("errors").path("source").asText()).isEqualTo("access-logs");
    assertThat(s.path("latency").path("source").asText()).isEqualTo("access-logs");
    assertNear(s.path("errors"), 0.1);
    double[] inBucket = new double[ShopDataset.DEFAULT_LE.length];
    double mean = 0;
    for (double d : ShopDataset.LEGACY_DURATIONS) {
      int b = 0;
      while (d > ShopDataset.DEFAULT_LE[b]) {
        b++;
      }
      inBucket[b] += 1;
      mean += d / ShopDataset.LEGACY_DURATIONS.length;
    }
    assertNear(s.path("latency").path("p50"), quantile(0.5, ShopDataset.DEFAULT_LE, inBucket));
    assertNear(s.path("latency").path("p90"), quantile(0.9, ShopDataset.DEFAULT_LE, inBucket));
    assertNear(s.path("latency").path("p99"), quantile(0.99, ShopDataset.DEFAULT_LE, inBucket));
    assertNear(s.path("latency").path("mean"), mean);
    assertSaturation(s.path("saturation"));
  }

  @Test
  void theFleetViewRanksEveryWorkloadByWhatIsAsked() throws Exception {
    awaitSignals("legacy", 2);
    awaitSignals("checkout", 2 * (ShopDataset.CHECKOUT_OK + ShopDataset.CHECKOUT_FAILED));
    awaitSignals("search", 2 * (ShopDataset.SEARCH_OK + ShopDataset.SEARCH_FAILED));
    awaitSignals("catalog", ShopDataset.CATALOG_OK + ShopDataset.CATALOG_FAILED);
    awaitSignals("inventory", 2 * (ShopDataset.INVENTORY_OK + ShopDataset.INVENTORY_NOT_FOUND
        + ShopDataset.INVENTORY_UNAVAILABLE));
    JsonNode byErrors = fleet("sort=errors");
    assertThat(byErrors.path("workloads").findValuesAsText("workload")).containsExactly("legacy", "catalog",
        "checkout", "search", "inventory");
    JsonNode first = byErrors.path("workloads").get(0);
    assertThat(first.path("source").asText()).isEqualTo("access-logs");
    assertThat(first.path("errors").asDouble()).isCloseTo(0.1, within(0.001));
    assertThat(first.path("saturation").asDouble()).isCloseTo(0.5, within(0.005));
    assertThat(fleet("sort=traffic").path("workloads").findValuesAsText("workload")).containsExactly("checkout",
        "inventory", "catalog", "search", "legacy");
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
