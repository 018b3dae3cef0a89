package io.fleetlens.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import io.fleetlens.devservers.LocalElasticsearch;

/**
 * CPU seconds spent during a phase: by Elasticsearch's processes, and by this JVM's threads grouped
 * by what they belong to (collector, aggregator, Kafka broker, ...).
 */
final class CpuMeter {

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final LocalElasticsearch elasticsearch;
  private Duration elasticsearchStart;
  private Map<String, Long> threadsStart;

  CpuMeter(LocalElasticsearch elasticsearch) {
    this.elasticsearch = elasticsearch;
    reset();
  }

  void reset() {
    elasticsearchStart = elasticsearch.cpuTime();
    threadsStart = byGroup();
  }

  void report(String phase) {
    double es = (elasticsearch.cpuTime().minus(elasticsearchStart)).toMillis() / 1000.0;
    StringBuilder line = new StringBuilder(String.format("  cpu during %s: elasticsearch %.1f s", phase, es));
    byGroup().forEach((group, nanos) -> {
      double seconds = (nanos - threadsStart.getOrDefault(group, 0L)) / 1e9;
      if (seconds >= 0.1) {
        line.append(String.format(", %s %.1f s", group, seconds));
      }
    });
    System.out.println(line);
  }

  /** Elasticsearch's CPU seconds since it started. */
  double elasticsearchSeconds() {
    return elasticsearch.cpuTime().toMillis() / 1000.0;
  }

  /**
   * CPU seconds of this JVM's threads that serve the apps (aggregator, its producers and clients,
   * HTTP, GC and JIT), not the Kafka broker's and not the main thread's (the bench's own load),
   * counted over the threads alive now.
   */
  double aggregatorSeconds() {
    long nanos = 0;
    for (long id : threads.getAllThreadIds()) {
      var info = threads.getThreadInfo(id);
      long cpu = threads.getThreadCpuTime(id);
      if (info != null && cpu > 0 && !info.getThreadName().equals("main")
          && !group(info.getThreadName()).equals("kafka broker")) {
        nanos += cpu;
      }
    }
    return nanos / 1e9;
  }

  private Map<String, Long> byGroup() {
    Map<String, Long> groups = new TreeMap<>();
    for (long id : threads.getAllThreadIds()) {
      var info = threads.getThreadInfo(id);
      long cpu = threads.getThreadCpuTime(id);
      if (info != null && cpu > 0) {
        groups.merge(group(info.getThreadName()), cpu, Long::sum);
      }
    }
    return groups;
  }

  private static String group(String thread) {
    if (thread.startsWith("collector") || thread.contains("fleetlens-collector")) {
      return "collector";
    }
    if (thread.startsWith("aggregator") || thread.contains("fleetlens-aggregator")) {
      return "aggregator";
    }
    if (thread.contains("kafka-producer")) {
      return "kafka producers";
    }
    if (thread.startsWith("kafka") || thread.contains("broker") || thread.contains("controller")
        || thread.contains("raft") || thread.startsWith("data-plane") || thread.contains("ExpirationReaper")) {
      return "kafka broker";
    }
    if (thread.contains("GC") || thread.contains("G1") || thread.contains("Compiler")) {
      return "jvm (gc, jit)";
    }
    if (thread.startsWith("I/O dispatcher") || thread.contains("httpclient")) {
      return "es client io";
    }
    return "other (" + thread.replaceAll("[-#]?\\d+", "") + ")";
  }
}
