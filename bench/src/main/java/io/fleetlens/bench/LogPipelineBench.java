package io.fleetlens.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.fleetlens.aggregator.AggregatorConfig;
import io.fleetlens.aggregator.AggregatorMain;
import io.fleetlens.collector.CollectorConfig;
import io.fleetlens.collector.CollectorMain;
import io.fleetlens.devservers.EmbeddedKafka;
import io.fleetlens.devservers.FreePorts;
import io.fleetlens.devservers.LocalElasticsearch;

/**
 * Lines per second from CRI files to searchable in Elasticsearch through collector, Kafka and
 * aggregator, beside the rate of Elasticsearch's own {@code _bulk} API indexing the same documents
 * into the same index layout, measured in the same run on the same servers.
 *
 * <p>Run by hand: {@code ./fleetlens bench [--lines N]} (see bench/README.md).
 */
public final class LogPipelineBench {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final int CONTAINERS = 20;
  private static final int BULK_SIZE = 2000;

  public static void main(String[] args) throws Exception {
    int lines = args.length > 1 && args[0].equals("--lines") ? Integer.parseInt(args[1]) : 300_000;
    Path work = Files.createTempDirectory("fleetlens-bench");
    try (EmbeddedKafka kafka = new EmbeddedKafka(work.resolve("kafka")).start();
        LocalElasticsearch es = LocalElasticsearch.prepare(work.resolve("es"), "node-0", true, "2g", FreePorts.next())
            .start()) {
      Path pods = work.resolve("pods");
      List<String> documents = writeLogs(pods, lines);
      double baseline = bulkBaseline(es.httpUrl(), documents);
      double fleetlens = pipeline(kafka.bootstrapServers(), es.httpUrl(), pods, work, lines);
      System.out.printf("lines: %d, containers: %d%n", lines, CONTAINERS);
      System.out.printf("elasticsearch _bulk baseline: %.0f lines/s%n", baseline);
      System.out.printf("fleetlens files -> searchable: %.0f lines/s%n", fleetlens);
      System.out.printf("ratio fleetlens/baseline: %.2f (overhead %.0f%%)%n", fleetlens / baseline,
          (baseline / fleetlens - 1) * 100);
    }
  }

  /** Writes the CRI files and returns the Elasticsearch documents the same lines become. */
  private static List<String> writeLogs(Path pods, int lines) throws IOException {
    Random random = new Random(7);
    List<BufferedWriter> writers = new ArrayList<>();
    for (int c = 0; c < CONTAINERS; c++) {
      Path file = pods.resolve("bench_pod-" + c + "_uid-" + c).resolve("app").resolve("0.log");
      Files.createDirectories(file.getParent());
      writers.add(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
    }
    List<String> documents = new ArrayList<>(lines);
    Instant t0 = Instant.now().minusSeconds(600);
    for (int i = 0; i < lines; i++) {
      int c = i % CONTAINERS;
      Instant time = t0.plusNanos(i * 1_000L);
      String level = random.nextInt(10) == 0 ? "ERROR" : "INFO";
      String message = level + " [worker-" + random.nextInt(16) + "] c.e.Service - handled request " + i
          + " for customer " + random.nextInt(100_000) + " in " + random.nextInt(900) + " ms";
      writers.get(c).write(time + " stdout F " + message + "\n");
      documents.add(JSON.writeValueAsString(Map.of("@timestamp", time.toString(), "cluster", "bench",
          "node", "bench-node", "namespace", "bench", "pod", "pod-" + c, "pod_uid", "uid-" + c,
          "container", "app", "stream", "stdout", "level", level.toLowerCase(), "message", message)));
    }
    for (BufferedWriter writer : writers) {
      writer.close();
    }
    return documents;
  }

  private static double bulkBaseline(String es, List<String> documents) throws Exception {
    putTemplate(es, "baseline");
    String index = "baseline-logs-" + java.time.format.DateTimeFormatter.ofPattern("yyyy.MM.dd")
        .withZone(java.time.ZoneOffset.UTC).format(Instant.now());
    List<String> bodies = new ArrayList<>();
    for (int from = 0; from < documents.size(); from += BULK_SIZE) {
      StringBuilder body = new StringBuilder();
      for (int i = from; i < Math.min(documents.size(), from + BULK_SIZE); i++) {
        body.append("{\"create\":{\"_index\":\"").append(index).append("\"}}\n").append(documents.get(i)).append('\n');
      }
      bodies.add(body.toString());
    }
    long start = System.nanoTime();
    for (String body : bodies) {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(es + "/_bulk"))
          .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200 || response.body().contains("\"errors\":true")) {
        throw new IllegalStateException("baseline bulk failed: " + response.body().substring(0, 500));
      }
    }
    awaitCount(es, "baseline-logs-*", documents.size());
    return documents.size() / seconds(start);
  }

  private static void putTemplate(String es, String prefix) throws Exception {
    String template = new String(LogPipelineBench.class.getResourceAsStream(
        "/io/fleetlens/storage/elasticsearch/log-index-template.json").readAllBytes(), StandardCharsets.UTF_8)
        .replace("${pattern}", prefix + "-logs-*").replace("${shards}", "1").replace("${replicas}", "0")
        .replace("${refresh}", "1s").replace("\"sort.field\": [\"@timestamp\", \"event_id\"],", "")
        .replace("\"sort.order\": [\"desc\", \"desc\"]", "\"sort.field\": [\"@timestamp\"], \"sort.order\": [\"desc\"]");
    HTTP.send(HttpRequest.newBuilder(URI.create(es + "/_index_template/" + prefix + "-logs"))
        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(template)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static double pipeline(String kafka, String es, Path pods, Path work, int lines) throws Exception {
    long start = System.nanoTime();
    try (AggregatorMain aggregator = new AggregatorMain(AggregatorConfig.load(null, Map.of(
            "FLEETLENS_KAFKA_BOOTSTRAP_SERVERS", kafka, "FLEETLENS_KAFKA_PARTITIONS", "3",
            "FLEETLENS_ELASTICSEARCH_HOSTS", es, "FLEETLENS_ELASTICSEARCH_INDEX_PREFIX", "fleetlens",
            "FLEETLENS_HTTP_PORT", "0")));
        CollectorMain collector = new CollectorMain(CollectorConfig.load(null, Map.of(
            "FLEETLENS_CLUSTER", "bench", "FLEETLENS_NODE", "bench-node",
            "FLEETLENS_LOGS_PODS_DIR", pods.toString(),
            "FLEETLENS_CHECKPOINTS_DIR", work.resolve("checkpoints").toString(),
            "FLEETLENS_KAFKA_BOOTSTRAP_SERVERS", kafka, "FLEETLENS_HTTP_PORT", "0")))) {
      awaitCount(es, "fleetlens-logs-*", lines);
      return lines / seconds(start);
    }
  }

  private static void awaitCount(String es, String pattern, long expected) throws Exception {
    while (true) {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(es + "/" + pattern + "/_count")).build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 200 && JSON.readTree(response.body()).get("count").asLong() >= expected) {
        return;
      }
      Thread.sleep(100);
    }
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
