package io.fleetlens.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.fleetlens.core.logs.ContainerRef;
import io.fleetlens.core.logs.LogLevel;
import io.fleetlens.core.logs.LogOrigin;
import io.fleetlens.core.logs.LogRecord;
import io.fleetlens.core.logs.LogStream;
import io.fleetlens.core.metrics.Sample;
import io.fleetlens.core.pods.PodMetadata;
import io.fleetlens.core.pods.Workload;
import io.fleetlens.testkit.RemoteWriteBodies;
import io.fleetlens.transport.kafka.LogRecordCodec;
import io.fleetlens.transport.kafka.Producers;

/**
 * Half an hour of a small shop, sent through a pipeline: {@code checkout} with Micrometer's request
 * metrics and {@code search} with OpenTelemetry's, both remote-written with their pods' container
 * metrics, {@code inventory} with gRPC's, {@code catalog} seen only through ingress-nginx's controller metrics, and {@code legacy}, which only writes ingress-nginx-style access logs that the collector
 * reads and the aggregator counts. The rates are constants here, so tests can work out every
 * signal by hand.
 */
final class ShopDataset {

  static final String NS = "shop";
  static final long STEP = 15_000;
  static final int POINTS = 120; // half an hour
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  // checkout (Micrometer), per pod and second
  static final double CHECKOUT_OK = 5;
  static final double CHECKOUT_FAILED = 0.25;
  static final double[] CHECKOUT_LE = {0.05, 0.1, 0.25, 0.5, 1};
  static final double[] CHECKOUT_IN_BUCKET = {2.625, 1.575, 0.7875, 0.21, 0.0525}; // sums to 5.25
  static final double CHECKOUT_MEAN = 0.08;
  // search (OpenTelemetry), per pod and second
  static final double SEARCH_OK = 1;
  static final double SEARCH_FAILED = 0.025;
  static final double[] SEARCH_LE = {0.1, 0.25, 0.5};
  static final double[] SEARCH_IN_BUCKET = {0.5125, 0.41, 0.1025}; // sums to 1.025
  static final double SEARCH_MEAN = 0.12;
  // inventory (gRPC, go-grpc-prometheus), per pod and second: NotFound is the caller's failure, Unavailable the server's
  static final double INVENTORY_OK = 4;
  static final double INVENTORY_NOT_FOUND = 0.5;
  static final double INVENTORY_UNAVAILABLE = 0.1;
  static final double[] INVENTORY_LE = {0.01, 0.05, 0.1};
  static final double[] INVENTORY_IN_BUCKET = {2.3, 1.84, 0.46}; // sums to 4.6
  // catalog, behind ingress-nginx, as the collector scrapes the controller: its namespace is exported_namespace
  static final double CATALOG_OK = 3;
  static final double CATALOG_FAILED = 0.3;
  static final double[] CATALOG_LE = {0.05, 0.1, 0.25};
  static final double[] CATALOG_IN_BUCKET = {1.65, 1.32, 0.33}; // sums to 3.3
  // legacy (access logs): two lines a second, every tenth a 500; durations repeat every ten lines
  static final double[] LEGACY_DURATIONS = {0.02, 0.2, 0.02, 0.2, 0.02, 0.2, 0.02, 0.2, 0.02, 0.8};
  static final double[] DEFAULT_LE = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  private ShopDataset() {
  }

  /**
   * Writes the data, ending a minute before now, and starts the pipeline's collector; returns the
   * time of the last samples (a multiple of {@link #STEP}).
   */
  static long seed(Pipeline pipeline) throws Exception {
    String cluster = pipeline.name;
    long end = (System.currentTimeMillis() - 60_000) / STEP * STEP;
    long start = end - (POINTS - 1) * STEP;
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < POINTS; i++) {
      long t = start + i * STEP;
      double seconds = (t - start) / 1000.0;
      for (String pod : List.of("checkout-7d9f-a", "checkout-7d9f-b")) {
        micrometer(samples, cluster, pod, t, seconds);
        containers(samples, cluster, "checkout", pod, t, seconds);
      }
      for (String pod : List.of("search-0", "search-1")) {
        openTelemetry(samples, cluster, pod, t, seconds);
        containers(samples, cluster, "search", pod, t, seconds);
      }
      containers(samples, cluster, "legacy", "legacy", t, seconds);
      ingressNginx(samples, cluster, t, seconds);
      for (String pod : List.of("inventory-5b8c-a", "inventory-5b8c-b")) {
        grpc(samples, cluster, pod, t, seconds);
        containers(samples, cluster, "inventory", pod, t, seconds);
      }
    }
    for (int from = 0; from < samples.size(); from += 5_000) {
      byte[] body = RemoteWriteBodies.of(samples.subList(from, Math.min(samples.size(), from + 5_000)));
      HttpResponse<String> response = null;
      for (int attempt = 0; attempt < 3 && (response == null || response.statusCode() >= 500); attempt++) {
        // a 5xx may be retried, as Prometheus retries it
        response = HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.aggregatorUrl() + "/api/v1/write"))
            .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
      }
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
    applicationLogs(pipeline, end);
    pipeline.collector.start();
    return end;
  }

  /**
   * Each workload's pods write a line every ten seconds over the last half hour, one in ten a
   * warning and one in twenty an error, as the collector would send them once it knows the pods'
   * owners from the kubelet: records on the logs topic, with the pod's workload.
   */
  private static void applicationLogs(Pipeline pipeline, long end) throws Exception {
    Map<String, List<String>> pods = Map.of("checkout", List.of("checkout-7d9f-a", "checkout-7d9f-b"),
        "search", List.of("search-0", "search-1"), "legacy", List.of("legacy"),
        "inventory", List.of("inventory-5b8c-a", "inventory-5b8c-b"));
    LogRecordCodec codec = new LogRecordCodec();
    try (KafkaProducer<byte[], byte[]> producer =
        Producers.reliable(pipeline.kafkaBootstrapServers, "shop-logs", Map.of())) {
      long offset = 0;
      for (Map.Entry<String, List<String>> workload : new TreeMap<>(pods).entrySet()) {
        for (String pod : workload.getValue()) {
          for (long t = end - 1_800_000; t <= end; t += 10_000) {
            int n = (int) ((end - t) / 10_000);
            LogLevel level = n % 20 == 0 ? LogLevel.ERROR
                : n % 10 == 0 ? LogLevel.WARN : LogLevel.INFO;
            LogRecord record = new LogRecord(pipeline.name, "node-a",
                new ContainerRef(NS, pod, "uid-" + pod, "app"), Instant.ofEpochMilli(t),
                LogStream.STDOUT, level.wireName().toUpperCase(Locale.ROOT) + " "
                + workload.getKey() + " handled request " + n, false, level,
                new LogOrigin("shop-app:" + pod, offset++))
                .withPod(new PodMetadata(Map.of("app", workload.getKey()), Map.of(),
                    new Workload("Deployment", workload.getKey())));
            producer.send(new ProducerRecord<>(pipeline.topic,
                record.orderingKey().getBytes(StandardCharsets.UTF_8), codec.encode(record)));
          }
        }
      }
      producer.flush();
    }
  }

  private static void micrometer(List<Sample> out, String cluster, String pod, long t, double s) {
    Map<String, String> base = labels(cluster, pod, "checkout");
    out.add(sample("http_server_requests_seconds_count", base, "status", "200", t, CHECKOUT_OK * s));
    out.add(sample("http_server_requests_seconds_count", base, "status", "500", t, CHECKOUT_FAILED * s));
    out.add(sample("http_server_requests_seconds_sum", base, "status", "200", t, CHECKOUT_MEAN * CHECKOUT_OK * s));
    out.add(sample("http_server_requests_seconds_sum", base, "status", "500", t,
        CHECKOUT_MEAN * CHECKOUT_FAILED * s));
    buckets(out, "http_server_requests_seconds", base, CHECKOUT_LE, CHECKOUT_IN_BUCKET, t, s);
  }

  private static void openTelemetry(List<Sample> out, String cluster, String pod, long t, double s) {
    Map<String, String> base = labels(cluster, pod, "search");
    out.add(sample("http_server_request_duration_seconds_count", base, "http_response_status_code", "200", t,
        SEARCH_OK * s));
    out.add(sample("http_server_request_duration_seconds_count", base, "http_response_status_code", "503", t,
        SEARCH_FAILED * s));
    out.add(sample("http_server_request_duration_seconds_sum", base, "http_response_status_code", "200", t,
        SEARCH_MEAN * SEARCH_OK * s));
    out.add(sample("http_server_request_duration_seconds_sum", base, "http_response_status_code", "503", t,
        SEARCH_MEAN * SEARCH_FAILED * s));
    buckets(out, "http_server_request_duration_seconds", base, SEARCH_LE, SEARCH_IN_BUCKET, t, s);
  }

  private static void grpc(List<Sample> out, String cluster, String pod, long t, double s) {
    Map<String, String> base = labels(cluster, pod, "inventory");
    base.putAll(Map.of("grpc_service", "shop.Inventory", "grpc_method", "Reserve", "grpc_type", "unary"));
    out.add(sample("grpc_server_handled_total", base, "grpc_code", "OK", t, INVENTORY_OK * s));
    out.add(sample("grpc_server_handled_total", base, "grpc_code", "NotFound", t, INVENTORY_NOT_FOUND * s));
    out.add(sample("grpc_server_handled_total", base, "grpc_code", "Unavailable", t, INVENTORY_UNAVAILABLE * s));
    double cumulative = buckets(out, "grpc_server_handling_seconds", base, INVENTORY_LE, INVENTORY_IN_BUCKET, t, s);
    out.add(sample("grpc_server_handling_seconds_count", base, null, null, t, cumulative * s));
    out.add(sample("grpc_server_handling_seconds_sum", base, null, null, t, 0.02 * cumulative * s));
  }

  private static void ingressNginx(List<Sample> out, String cluster, long t, double s) {
    Map<String, String> base = new TreeMap<>(Map.of("cluster", cluster, "namespace", "ingress-nginx",
        "pod", "ingress-nginx-controller-6c9f-x", "workload", "ingress-nginx-controller", "job", "kubernetes-pods",
        "exported_namespace", NS, "service", "catalog", "ingress", "catalog"));
    out.add(sample("nginx_ingress_controller_requests", base, "status", "200", t, CATALOG_OK * s));
    out.add(sample("nginx_ingress_controller_requests", base, "status", "502", t, CATALOG_FAILED * s));
    double cumulative = buckets(out, "nginx_ingress_controller_request_duration_seconds", base, CATALOG_LE,
        CATALOG_IN_BUCKET, t, s);
    out.add(sample("nginx_ingress_controller_request_duration_seconds_count", base, null, null, t, cumulative * s));
    out.add(sample("nginx_ingress_controller_request_duration_seconds_sum", base, null, null, t, 0.06 * cumulative * s));
  }

  /** A histogram's cumulative buckets at {@code s} seconds, from per-bucket rates; returns the total rate. */
  private static double buckets(List<Sample> out, String histogram, Map<String, String> base, double[] le,
      double[] inBucket, long t, double s) {
    double cumulative = 0;
    for (int b = 0; b < le.length; b++) {
      cumulative += inBucket[b];
      out.add(sample(histogram + "_bucket", base, "le", Double.toString(le[b]), t, cumulative * s));
    }
    out.add(sample(histogram + "_bucket", base, "le", "+Inf", t, cumulative * s));
    return cumulative;
  }

  /** Per pod: a quarter of a core used, half a core requested, one core the limit, half the memory limit. */
  private static void containers(List<Sample> out, String cluster, String workload, String pod, long t, double s) {
    Map<String, String> base = labels(cluster, pod, workload);
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
    out.add(sample("kube_pod_container_resource_requests", memory, null, null, t, 384 * 1024 * 1024));
  }

  private static Map<String, String> labels(String cluster, String pod, String workload) {
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
}
