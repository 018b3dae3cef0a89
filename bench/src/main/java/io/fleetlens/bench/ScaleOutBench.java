package io.fleetlens.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.fleetlens.aggregator.AggregatorMain;
import io.fleetlens.core.logs.ContainerRef;
import io.fleetlens.core.logs.LogLevel;
import io.fleetlens.core.logs.LogOrigin;
import io.fleetlens.core.logs.LogRecord;
import io.fleetlens.core.logs.LogStream;
import io.fleetlens.devservers.EmbeddedKafka;
import io.fleetlens.devservers.FreePorts;
import io.fleetlens.devservers.LocalElasticsearch;
import io.fleetlens.transport.kafka.LogRecordCodec;
import io.fleetlens.transport.kafka.Producers;
import io.fleetlens.transport.kafka.TopicProvisioner;

/**
 * Indexing throughput of 1, 2 and 3 aggregator processes draining the same backlog of a
 * 12-partition logs topic into Elasticsearch (each run its own consumer group and indices, the
 * 1-aggregator run the baseline), then the group's lag, sampled twice a second, while a third
 * aggregator joins two that are draining. CPU seconds of Elasticsearch and of the aggregators show
 * what limits the speed-up on this machine.
 */
public final class ScaleOutBench {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final int PARTITIONS = 12;
  private static final String TOPIC = "bench.scale.logs";

  public static void main(String[] args) throws Exception {
    int records = args.length > 1 && args[0].equals("--records") ? Integer.parseInt(args[1]) : 200_000;
    Path work = Files.createTempDirectory("fleetlens-bench-scale");
    try (EmbeddedKafka kafka = new EmbeddedKafka(work.resolve("kafka")).start();
        LocalElasticsearch es = LocalElasticsearch.prepare(work.resolve("es"), "node-0", true, "2g", FreePorts.next())
            .start()) {
      TopicProvisioner.ensure(kafka.bootstrapServers(), List.of(TOPIC, TOPIC + ".dead-letter", "bench.scale.metrics",
          "bench.scale.metrics.dead-letter"), PARTITIONS, (short) 1);
      produce(kafka.bootstrapServers(), records);
      System.out.printf("backlog: %,d log records on %d partitions%n", records, PARTITIONS);
      System.out.println("records per partition (120 containers, keyed by container): " + spread(
          kafka.bootstrapServers()));
      System.out.println();
      drain(kafka, es, work, "warmup", 1, records, null);
      Map<Integer, Double> rates = new HashMap<>();
      for (int instances = 1; instances <= 3; instances++) {
        rates.put(instances, drain(kafka, es, work, "run" + instances, instances, records, null));
      }
      System.out.printf("%nspeed-up against 1 aggregator: 2 -> %.2fx, 3 -> %.2fx%n%n", rates.get(2) / rates.get(1),
          rates.get(3) / rates.get(1));
      System.out.println("group lag while a third aggregator joins two (seconds since start, records behind):");
      drain(kafka, es, work, "rebalance", 2, records, records / 4L);
    }
  }

  private static void produce(String bootstrap, int records) throws Exception {
    LogRecordCodec codec = new LogRecordCodec();
    try (KafkaProducer<byte[], byte[]> producer = Producers.reliable(bootstrap, "bench-scale",
        Map.of(ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024))) {
      for (int i = 0; i < records; i++) {
        int container = i % 120;
        LogRecord record = new LogRecord("bench", "node-" + container % 6, new ContainerRef("ns-" + container % 12,
            "pod-" + container, "uid-" + container, "app"), Instant.now(), LogStream.STDOUT,
            "GET /api/cart/" + i + " 200 " + (i % 97) + "ms user=" + (i % 1000) + " trace=" + Long.toHexString(i * 7919L),
            false, LogLevel.INFO, new LogOrigin("file-" + container, i * 120L));
        producer.send(new ProducerRecord<>(TOPIC, record.orderingKey().getBytes(StandardCharsets.UTF_8),
            codec.encode(record)));
      }
      producer.flush();
    }
  }

  /**
   * Starts {@code instances} aggregators on a fresh group and index prefix, waits until the index
   * holds every record and returns the steady rate: records per second between 10% and 90% indexed,
   * so the JVMs' start and the last stragglers are left out. With {@code joinAt}, adds one more
   * aggregator once that many records are indexed and prints the group lag every half second.
   */
  private static double drain(EmbeddedKafka kafka, LocalElasticsearch es, Path work, String run, int instances,
      int records, Long joinAt) throws Exception {
    String prefix = "scale-" + run;
    String group = "bench-" + run;
    Path dir = Files.createDirectories(work.resolve(run));
    Path config = Files.writeString(dir.resolve("aggregator.yaml"), String.join("\n",
        "kafka:",
        "  bootstrap-servers: " + kafka.bootstrapServers(),
        "  topic: " + TOPIC,
        "  dead-letter-topic: " + TOPIC + ".dead-letter",
        "  metrics-topic: bench.scale.metrics",
        "  metrics-dead-letter-topic: bench.scale.metrics.dead-letter",
        "  group-id: " + group,
        "  consumers: 1",
        "  create-topics: false",
        "elasticsearch:",
        "  hosts: [\"" + es.httpUrl() + "\"]",
        "  index-prefix: " + prefix,
        "  refresh-interval: 5s",
        "compaction:",
        "  enabled: false",
        "http:",
        "  host: 127.0.0.1",
        "  port: 0",
        ""));
    List<MeasuredProcess> aggregators = new ArrayList<>();
    java.time.Duration esBefore = es.cpuTime();
    long started = System.nanoTime();
    try {
      for (int i = 0; i < instances; i++) {
        aggregators.add(start(dir, "aggregator-" + i, config));
      }
      boolean joined = joinAt == null;
      long lastSample = 0;
      long at10 = 0;
      long at90 = 0;
      long indexed;
      while ((indexed = count(es.httpUrl(), prefix)) < records) {
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        if (at10 == 0 && indexed >= records / 10) {
          at10 = System.nanoTime();
        }
        if (at90 == 0 && indexed >= records * 9L / 10) {
          at90 = System.nanoTime();
        }
        if (!joined && indexed >= joinAt) {
          aggregators.add(start(dir, "aggregator-" + instances, config));
          System.out.printf("  %5.1f s  a third aggregator starts%n", elapsedMs / 1000.0);
          joined = true;
        }
        if (joinAt != null && elapsedMs - lastSample >= 500) {
          System.out.printf("  %5.1f s  %,d%n", elapsedMs / 1000.0, lag(kafka.bootstrapServers(), group));
          lastSample = elapsedMs;
        }
        aggregators.forEach(MeasuredProcess::checkRunning);
        Thread.sleep(100);
      }
      if (at90 == 0) {
        at90 = System.nanoTime();
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      double steady = records * 0.8 / ((at90 - at10) / 1e9);
      double aggregatorCpu = 0;
      for (MeasuredProcess a : aggregators) {
        aggregatorCpu += a.cpuSeconds();
      }
      if (joinAt == null) {
        System.out.printf("%-9s %d aggregator(s): %,9.0f records/s steady, %,9.0f overall  (%.1f s; CPU-s:"
            + " aggregators %.1f, Elasticsearch %.1f, of %.1f the machine had)%n", run, instances, steady,
            records / seconds, seconds, aggregatorCpu, es.cpuTime().minus(esBefore).toMillis() / 1000.0,
            seconds * Runtime.getRuntime().availableProcessors());
      } else {
        System.out.printf("  %5.1f s  drained (%,.0f records/s steady)%n", seconds, steady);
      }
      return steady;
    } finally {
      for (MeasuredProcess a : aggregators) {
        a.close();
      }
    }
  }

  private static MeasuredProcess start(Path dir, String name, Path config) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED", "-cp",
        System.getProperty("java.class.path"), AggregatorMain.class.getName(), "--config", config.toString()));
    return MeasuredProcess.start(name, command, System.getenv(), dir.resolve(name + ".out"));
  }

  private static long count(String es, String prefix) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(es + "/" + prefix
        + "-logs-*/_count?ignore_unavailable=true&allow_no_indices=true")).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      return 0;
    }
    HTTP.send(HttpRequest.newBuilder(URI.create(es + "/" + prefix + "-logs-*/_refresh?ignore_unavailable=true"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    return JSON.readTree(r.body()).path("count").asLong();
  }

  /** How evenly the keys spread the records: each partition's count, and the largest over the mean. */
  private static String spread(String bootstrap) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < PARTITIONS; p++) {
        latest.put(new TopicPartition(TOPIC, p), OffsetSpec.latest());
      }
      long[] counts = new long[PARTITIONS];
      admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS)
          .forEach((partition, info) -> counts[partition.partition()] = info.offset());
      double mean = java.util.Arrays.stream(counts).average().orElse(0);
      long max = java.util.Arrays.stream(counts).max().orElse(0);
      return java.util.Arrays.toString(counts) + String.format(", largest/mean %.2f", max / mean);
    }
  }

  private static long lag(String bootstrap, String group) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < PARTITIONS; p++) {
        latest.put(new TopicPartition(TOPIC, p), OffsetSpec.latest());
      }
      long lag = 0;
      for (var e : admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).entrySet()) {
        OffsetAndMetadata at = committed.get(e.getKey());
        lag += e.getValue().offset() - (at == null ? 0 : at.offset());
      }
      return lag;
    }
  }
}
