package io.fleetlens.bench;

import java.io.BufferedWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.fleetlens.collector.Collector;
import io.fleetlens.collector.CollectorConfig;
import io.fleetlens.devservers.EmbeddedKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * CRI files to Kafka: lines per second and per CPU-second of the collector's own threads, and its
 * resident memory, for {@code --lines} lines of about 130 bytes over 20 containers.
 *
 * <p>Run by hand: {@code ./fleetlens bench-collector [--lines N]} (see bench/README.md).
 */
public final class CollectorBench {

  private static int containers = 20;

  public static void main(String[] args) throws Exception {
    int lines = 1_000_000;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--lines" -> lines = Integer.parseInt(args[i + 1]);
        case "--containers" -> containers = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path work = Files.createTempDirectory("fleetlens-collector-bench");
    try (EmbeddedKafka kafka = new EmbeddedKafka(work.resolve("kafka")).start()) {
      Path pods = work.resolve("pods");
      long bytes = write(pods, lines);
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      CollectorConfig config = CollectorConfig.load(null, Map.of(
          "FLEETLENS_CLUSTER", "bench", "FLEETLENS_NODE", "bench-node",
          "FLEETLENS_LOGS_PODS_DIR", pods.toString(),
          "FLEETLENS_CHECKPOINTS_DIR", work.resolve("checkpoints").toString(),
          "FLEETLENS_SPOOL_DIR", work.resolve("spool").toString(),
          "FLEETLENS_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(), "FLEETLENS_HTTP_PORT", "0"));
      long cpuBefore = collectorCpuNanos();
      long start = System.nanoTime();
      try (Collector collector = new Collector(config, registry).start()) {
        while (registry.counter("fleetlens.collector.records.acked").count() < lines) {
          Thread.sleep(20);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = (collectorCpuNanos() - cpuBefore) / 1e9;
        System.out.printf("collector: %d lines (%.0f MB) in %.1f s: %.0f lines/s, %.1f MB/s%n", lines, bytes / 1e6,
            seconds, lines / seconds, bytes / 1e6 / seconds);
        System.out.printf("collector threads used %.1f CPU-s: %.0f lines per CPU-second%n", cpu, lines / cpu);
        System.out.printf("heap used %.0f MB%n", (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / 1e6);
      }
    }
  }

  private static long write(Path pods, int lines) throws Exception {
    Random random = new Random(1);
    List<BufferedWriter> writers = new ArrayList<>();
    for (int c = 0; c < containers; c++) {
      Path file = pods.resolve("bench_pod-" + c + "_uid-" + c).resolve("app").resolve("0.log");
      Files.createDirectories(file.getParent());
      writers.add(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
    }
    long bytes = 0;
    Instant t0 = Instant.now();
    for (int i = 0; i < lines; i++) {
      String line = t0.plusNanos(i) + " stdout F INFO [worker-" + random.nextInt(16)
          + "] c.e.Service - handled request " + i + " for customer " + random.nextInt(100_000) + " in "
          + random.nextInt(900) + " ms\n";
      writers.get(i % containers).write(line);
      bytes += line.length();
    }
    for (BufferedWriter writer : writers) {
      writer.close();
    }
    return bytes;
  }

  private static long collectorCpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long total = 0;
    for (long id : threads.getAllThreadIds()) {
      var info = threads.getThreadInfo(id);
      if (info != null && (info.getThreadName().startsWith("collector")
          || info.getThreadName().contains("fleetlens-collector"))) {
        total += Math.max(0, threads.getThreadCpuTime(id));
      }
    }
    return total;
  }
}
