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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.ObjectMapper;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

import io.fleetlens.aggregator.AggregatorConfig;
import io.fleetlens.aggregator.AggregatorMain;
import io.fleetlens.collector.CollectorConfig;
import io.fleetlens.collector.CollectorMain;
import io.fleetlens.collector.files.FileIdentity;
import io.fleetlens.core.logs.ContainerRef;
import io.fleetlens.core.logs.LogLevel;
import io.fleetlens.core.logs.LogOrigin;
import io.fleetlens.core.logs.LogRecord;
import io.fleetlens.core.logs.LogStream;
import io.fleetlens.devservers.EmbeddedKafka;
import io.fleetlens.devservers.FreePorts;
import io.fleetlens.devservers.LocalElasticsearch;
import io.fleetlens.storage.elasticsearch.ElasticsearchClients;
import io.fleetlens.storage.elasticsearch.ElasticsearchSettings;
import io.fleetlens.storage.elasticsearch.LogIndexLayout;
import io.fleetlens.storage.elasticsearch.LogIndexTemplate;

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
      List<String> actions = writeLogs(pods, lines);
      bulkBaseline(es.httpUrl(), actions, "warmup");
      settle(es.httpUrl());
      CpuMeter cpu = new CpuMeter(es);
      double before = bulkBaseline(es.httpUrl(), actions, "baseline-a");
      cpu.report("baseline (first run)");
      cpu.reset();
      settle(es.httpUrl());
      cpu.reset();
      double fleetlens = pipeline(kafka.bootstrapServers(), es.httpUrl(), pods, work, lines, cpu);
      settle(es.httpUrl());
      cpu.reset();
      double after = bulkBaseline(es.httpUrl(), actions, "baseline-b");
      cpu.report("baseline (second run)");
      double baseline = (before + after) / 2;
      System.out.printf("lines: %d, containers: %d%n", lines, CONTAINERS);
      System.out.printf("elasticsearch _bulk baseline: %.0f lines/s (before: %.0f, after: %.0f)%n", baseline, before,
          after);
      System.out.printf("fleetlens files -> searchable: %.0f lines/s%n", fleetlens);
      System.out.printf("ratio fleetlens/baseline: %.2f (Fleetlens adds %.0f%% to Elasticsearch's time)%n",
          fleetlens / baseline, (baseline / fleetlens - 1) * 100);
    }
  }

  /**
   * Writes the CRI files and returns, for each line, the bulk action and document Fleetlens makes of
   * it: the same index, id and source, so both runs index identical documents.
   */
  private static List<String> writeLogs(Path pods, int lines) throws IOException {
    Random random = new Random(7);
    List<BufferedWriter> writers = new ArrayList<>();
    List<String> fileIds = new ArrayList<>();
    long[] offsets = new long[CONTAINERS];
    for (int c = 0; c < CONTAINERS; c++) {
      Path file = pods.resolve("bench_pod-" + c + "_uid-" + c).resolve("app").resolve("0.log");
      Files.createDirectories(file.getParent());
      writers.add(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
      fileIds.add(FileIdentity.of(file));
    }
    LogIndexLayout layout = new LogIndexLayout("baseline");
    List<String> actions = new ArrayList<>(lines);
    Instant t0 = Instant.now().minusSeconds(600);
    for (int i = 0; i < lines; i++) {
      int c = i % CONTAINERS;
      Instant time = t0.plusNanos(i * 1_000L);
      String level = random.nextInt(10) == 0 ? "ERROR" : "INFO";
      String message = level + " [worker-" + random.nextInt(16) + "] c.e.Service - handled request " + i
          + " for customer " + random.nextInt(100_000) + " in " + random.nextInt(900) + " ms";
      String line = time + " stdout F " + message + "\n";
      writers.get(c).write(line);
      LogRecord record = new LogRecord("bench", "bench-node", new ContainerRef("bench", "pod-" + c, "uid-" + c, "app"),
          time, LogStream.STDOUT, message, false, LogLevel.parse(level).orElseThrow(),
          new LogOrigin(fileIds.get(c), offsets[c]));
      offsets[c] += line.getBytes(StandardCharsets.UTF_8).length;
      actions.add(bulkAction(layout, record));
    }
    for (BufferedWriter writer : writers) {
      writer.close();
    }
    return actions;
  }

  private static String bulkAction(LogIndexLayout layout, LogRecord r) throws IOException {
    String id = LogIndexLayout.documentId(r);
    Map<String, Object> source = new LinkedHashMap<>();
    source.put("@timestamp", r.timestamp().toString());
    source.put("cluster", r.cluster());
    source.put("node", r.node());
    source.put("namespace", r.container().namespace());
    source.put("pod", r.container().pod());
    source.put("pod_uid", r.container().podUid());
    source.put("container", r.container().name());
    source.put("stream", r.stream().wireName());
    source.put("level", r.level().wireName());
    source.put("message", r.message());
    source.put("truncated", r.truncated());
    source.put("origin", Map.of("file", r.origin().fileId(), "offset", r.origin().offset()));
    source.put("event_id", id);
    return "{\"create\":{\"_index\":\"" + layout.indexFor(r.timestamp()) + "\",\"_id\":\"" + id + "\"}}\n"
        + JSON.writeValueAsString(source) + "\n";
  }

  /** Lets Elasticsearch finish flushing and merging what the previous run left, so runs do not overlap. */
  private static void settle(String es) throws Exception {
    HTTP.send(HttpRequest.newBuilder(URI.create(es + "/_flush")).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    Thread.sleep(10_000);
  }

  private static double bulkBaseline(String es, List<String> actions, String prefix) throws Exception {
    ElasticsearchSettings settings = new ElasticsearchSettings(List.of(es), prefix, 1, 0, "1s", false);
    try (ElasticsearchClient client = ElasticsearchClients.create(settings)) {
      LogIndexTemplate.install(client, settings, new LogIndexLayout(prefix));
    }
    List<String> bodies = new ArrayList<>();
    for (int from = 0; from < actions.size(); from += BULK_SIZE) {
      bodies.add(String.join("", actions.subList(from, Math.min(actions.size(), from + BULK_SIZE)))
          .replace("\"_index\":\"baseline-logs-", "\"_index\":\"" + prefix + "-logs-"));
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
    awaitCount(es, prefix + "-logs-*", actions.size());
    return actions.size() / seconds(start);
  }

  private static double pipeline(String kafka, String es, Path pods, Path work, int lines, CpuMeter cpu)
      throws Exception {
    Path watched = Files.createDirectories(work.resolve("watched-pods"));
    try (AggregatorMain aggregator = new AggregatorMain(AggregatorConfig.load(null, Map.of(
            "FLEETLENS_KAFKA_BOOTSTRAP_SERVERS", kafka, "FLEETLENS_KAFKA_PARTITIONS", "3",
            "FLEETLENS_ELASTICSEARCH_HOSTS", es, "FLEETLENS_ELASTICSEARCH_INDEX_PREFIX", "fleetlens",
            "FLEETLENS_HTTP_PORT", "0")));
        CollectorMain collector = new CollectorMain(CollectorConfig.load(null, Map.of(
            "FLEETLENS_CLUSTER", "bench", "FLEETLENS_NODE", "bench-node",
            "FLEETLENS_LOGS_PODS_DIR", watched.toString(), "FLEETLENS_LOGS_CONTAINERS_DIR", "",
            "FLEETLENS_CHECKPOINTS_DIR", work.resolve("checkpoints").toString(),
            "FLEETLENS_SPOOL_DIR", work.resolve("spool").toString(),
            "FLEETLENS_KAFKA_BOOTSTRAP_SERVERS", kafka, "FLEETLENS_HTTP_PORT", "0")))) {
      Thread.sleep(5_000);
      cpu.reset();
      long start = System.nanoTime();
      try (var podDirs = Files.list(pods)) {
        for (Path pod : podDirs.toList()) {
          Files.move(pod, watched.resolve(pod.getFileName()));
        }
      }
      progress(start, collector.httpPort(), aggregator.httpPort(), lines);
      awaitCount(es, "fleetlens-logs-*", lines);
      double rate = lines / seconds(start);
      cpu.report("fleetlens");
      String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + aggregator.httpPort()
          + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
      metrics.lines().filter(l -> l.startsWith("fleetlens_aggregator_bulk_seconds_count")
          || l.startsWith("fleetlens_aggregator_bulk_seconds_sum")).forEach(l -> System.out.println("  " + l));
      return rate;
    }
  }

  /** Prints when the collector had every line in Kafka and when the aggregator had them indexed. */
  private static void progress(long start, int collectorPort, int aggregatorPort, int lines) throws Exception {
    boolean shipped = false;
    while (true) {
      if (!shipped && metric(collectorPort, "fleetlens_collector_records_acked_total") >= lines) {
        shipped = true;
        System.out.printf("  collector had all lines in Kafka after %.1f s%n", seconds(start));
      }
      if (metric(aggregatorPort, "fleetlens_aggregator_records_total{app=\"aggregator\",result=\"indexed\"}") >= lines) {
        System.out.printf("  aggregator had all lines indexed after %.1f s%n", seconds(start));
        return;
      }
      Thread.sleep(200);
    }
  }

  private static double metric(int port, String series) throws Exception {
    String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    return body.lines().filter(l -> l.startsWith(series + " ") || l.startsWith(series + "{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
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
