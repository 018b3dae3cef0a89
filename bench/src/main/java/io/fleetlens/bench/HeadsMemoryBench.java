package io.fleetlens.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.fleetlens.aggregator.AggregatorConfig;
import io.fleetlens.aggregator.AggregatorMain;
import io.fleetlens.devservers.EmbeddedKafka;
import io.fleetlens.devservers.FreePorts;
import io.fleetlens.devservers.LocalElasticsearch;

/**
 * Memory of the aggregator's series heads: remote-writes 10,000, then 100,000, then 1,000,000 new
 * series (four live samples each) into an aggregator in this JVM and prints, once each step is
 * stored, the heap in use after a full collection and what it grew by per series held. Then sends
 * {@code --past} more new series than {@code metric-heads.max-active-series} leaves room for and
 * prints how many samples were refused (counted, logged, dead-lettered) while the process goes on.
 *
 * <p>Run by hand: {@code ./fleetlens bench heads [--limit 1200000] [--past 200000]}; the JVM has
 * the bench's {@code -Xmx2g}.
 */
public final class HeadsMemoryBench {

  private static final int SAMPLES = 4;

  public static void main(String[] args) throws Exception {
    long limit = 1_200_000;
    int past = 200_000;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--limit" -> limit = Long.parseLong(args[i + 1]);
        case "--past" -> past = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path work = Files.createTempDirectory("fleetlens-heads-bench");
    try (EmbeddedKafka kafka = new EmbeddedKafka(work.resolve("kafka")).start();
        LocalElasticsearch es = LocalElasticsearch.prepare(work.resolve("es"), "node-0", true, "2g", FreePorts.next())
            .start();
        AggregatorMain aggregator = new AggregatorMain(MetricsBench.aggregatorConfig(kafka, es).withMetricHeads(
                new AggregatorConfig.MetricHeads(10_000, limit, 900_000)))) {
      String write = "http://127.0.0.1:" + aggregator.httpPort() + "/api/v1/write";
      String metrics = "http://127.0.0.1:" + aggregator.httpPort() + "/metrics";
      long base = heapAfterGc();
      System.out.printf("heap in use after start: %,d MiB (max %,d MiB); max-active-series %,d%n", base >> 20,
          Runtime.getRuntime().maxMemory() >> 20, limit);
      long sent = 0;
      long held = 0;
      long before = base;
      System.out.printf("%14s %14s %16s %18s%n", "new series", "series held", "heap in use MiB", "bytes per series");
      for (int series : new int[] {10_000, 100_000, 1_000_000}) {
        sent += send(write, "bench_mem_" + series, series);
        awaitStored(metrics, sent);
        held = (long) MetricsBench.metric(metrics, "fleetlens_aggregator_head_series{");
        long heap = heapAfterGc();
        System.out.printf("%,14d %,14d %,16d %,18.0f%n", series, held, heap >> 20, (double) (heap - before) / series);
        before = heap;
      }
      System.out.printf("all %,d series held: %,.0f bytes per series over the heap after start%n", held,
          (double) (before - base) / held);
      sent += send(write, "bench_mem_past", (int) Math.max(0, limit - held) + past);
      awaitStored(metrics, sent);
      System.out.printf("past the limit: %,d series held, %,.0f samples refused (counted, logged, dead-lettered),"
          + " heap in use %,d MiB, the aggregator still serving%n",
          (long) MetricsBench.metric(metrics, "fleetlens_aggregator_head_series{"),
          MetricsBench.metric(metrics, "fleetlens_aggregator_samples_total{app=\"aggregator\",result=\"refused\"}"),
          heapAfterGc() >> 20);
    }
  }

  /** Sends {@link #SAMPLES} live samples of each of {@code series} new series; returns how many samples. */
  private static long send(String write, String name, int series) throws Exception {
    long now = System.currentTimeMillis() / 1000 * 1000;
    MetricsBench.Batch batch = new MetricsBench.Batch(write);
    for (int k = 0; k < SAMPLES; k++) {
      long t = now - (SAMPLES - k) * 15_000L;
      for (int s = 0; s < series; s++) {
        batch.add(new String[] {"__name__", name + "_total", "cluster", "bench", "instance", "host-" + s + ":9100",
            "job", "node"}, t, k);
      }
    }
    batch.flush();
    return (long) series * SAMPLES;
  }

  private static void awaitStored(String metrics, long samples) throws Exception {
    while (MetricsBench.stored(metrics) < samples) {
      Thread.sleep(200);
    }
  }

  private static long heapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
