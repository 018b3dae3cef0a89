package io.fleetlens.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.CodedOutputStream;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

import io.airlift.compress.snappy.SnappyCompressor;
import io.fleetlens.aggregator.AggregatorConfig;
import io.fleetlens.aggregator.AggregatorMain;
import io.fleetlens.devservers.EmbeddedKafka;
import io.fleetlens.devservers.FreePorts;
import io.fleetlens.devservers.LocalElasticsearch;
import io.fleetlens.query.QueryApiConfig;
import io.fleetlens.query.QueryApiMain;
import io.fleetlens.storage.elasticsearch.ElasticsearchClients;
import io.fleetlens.storage.elasticsearch.ElasticsearchSettings;
import io.fleetlens.storage.elasticsearch.metrics.MetricIndexLayout;
import io.fleetlens.storage.elasticsearch.metrics.MetricIndices;
import io.fleetlens.storage.elasticsearch.metrics.SampleCompactor;

/**
 * Metrics beside a real Prometheus (Debian's, with its remote-write receiver on), the same data
 * sent to both by remote_write in the same run: ingest rate until queryable, query_range latency
 * of {@code rate()} and {@code histogram_quantile()} over 1 h and 24 h, and bytes per sample on disk,
 * for both of Fleetlens' layouts: one document per sample as written, then the chunk documents
 * the compactor packs them into (every window compacted, as if all were over).
 *
 * <p>Two families of series: {@code bench_small_*} ({@code --small} series, {@code --hours} of
 * history) and {@code bench_large_*} ({@code --large} series, one hour). Half of each family's
 * series are counters, half the buckets of classic histograms (ten buckets each).
 *
 * <p>Run by hand: {@code ./fleetlens bench metrics [--small 1000] [--large 10000] [--hours 24]
 * [--interval 30]} (see bench/README.md).
 */
public final class MetricsBench {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, Double.POSITIVE_INFINITY};
  private static final int BATCH = 5_000;
  private static final int RUNS = 10;
  /** Unmeasured rounds of every query on both sides first: a query API that has run a while is warm. */
  private static final int WARM_UP_ROUNDS = 3;
  private static final long GRACE_MS = 3_600_000;
  /** Longer than the history and its compaction take to send: the live part starts before this is over. */
  private static final long LIVE_MARGIN_MS = 20 * 60_000;

  private record Family(String name, int series, long fromMs, long toMs) {
    int counters() {
      return series / 2;
    }

    int histograms() {
      return Math.max(1, (series - counters()) / BUCKETS.length);
    }

    long samples(long intervalMs) {
      return (long) (counters() + histograms() * BUCKETS.length) * ((toMs - fromMs) / intervalMs + 1);
    }

    /** Samples with timestamps before {@code t} (the family's timestamps are fromMs, fromMs + interval, ...). */
    long samplesBefore(long t, long intervalMs) {
      long points = t <= fromMs ? 0 : Math.min((toMs - fromMs) / intervalMs + 1, (t - fromMs + intervalMs - 1) / intervalMs);
      return (long) (counters() + histograms() * BUCKETS.length) * points;
    }
  }

  public static void main(String[] args) throws Exception {
    int small = 1_000;
    int large = 10_000;
    int hours = 24;
    int largeHours = 1;
    int interval = 30;
    boolean hold = false;
    long chunkCache = 128L << 20; // the query API's default
    long flushIntervalMs = AggregatorConfig.MetricHeads.DEFAULTS.flushIntervalMs();
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--small" -> small = Integer.parseInt(args[i + 1]);
        case "--large" -> large = Integer.parseInt(args[i + 1]);
        case "--hours" -> hours = Integer.parseInt(args[i + 1]);
        case "--large-hours" -> largeHours = Integer.parseInt(args[i + 1]);
        case "--interval" -> interval = Integer.parseInt(args[i + 1]);
        case "--hold" -> hold = Boolean.parseBoolean(args[i + 1]);
        case "--chunk-cache-bytes" -> chunkCache = Long.parseLong(args[i + 1]);
        case "--flush-interval-ms" -> flushIntervalMs = Long.parseLong(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path prometheusBinary = Path.of("/usr/bin/prometheus");
    if (!Files.isExecutable(prometheusBinary)) {
      System.out.println("Prometheus is missing: apt-get install prometheus");
      return;
    }
    long intervalMs = interval * 1000L;
    long now = System.currentTimeMillis() / intervalMs * intervalMs;
    List<Family> families = List.of(new Family("bench_small", small, now - hours * 3_600_000L, now),
        new Family("bench_large", large, now - largeHours * 3_600_000L, now));
    // the aggregator holds windows not over by its compaction grace in memory (live); older ones are late.
    // The live part is sent minutes after this; a window whose grace ends before then is history already
    long liveFrom = MetricIndexLayout.windowStart(now + LIVE_MARGIN_MS - GRACE_MS);
    Path work = Files.createTempDirectory("fleetlens-metrics-bench");
    try (EmbeddedKafka kafka = new EmbeddedKafka(work.resolve("kafka")).start();
        LocalElasticsearch es = LocalElasticsearch.prepare(work.resolve("es"), "node-0", true, "2g", FreePorts.next())
            .start();
        AggregatorMain aggregator = new AggregatorMain(aggregatorConfig(kafka, es).withMetricHeads(
            new AggregatorConfig.MetricHeads(flushIntervalMs, AggregatorConfig.MetricHeads.DEFAULTS.maxActiveSeries(),
                AggregatorConfig.MetricHeads.DEFAULTS.idleMs())));
        QueryApiMain api = new QueryApiMain(new QueryApiConfig(new QueryApiConfig.Elasticsearch(List.of(es.httpUrl()),
            "bench"), new QueryApiConfig.Promql(200_000_000, 200_000, 300_000, 300_000,
            chunkCache), new QueryApiConfig.Http("127.0.0.1", 0), QueryApiConfig.Database.inMemory("db"),
        QueryApiConfig.Alerting.defaults(), QueryApiConfig.Auth.off(), QueryApiConfig.Limits.defaults()))) {
      int promPort = FreePorts.next();
      Path promData = work.resolve("prometheus");
      Files.createDirectories(promData);
      Files.writeString(promData.resolve("prometheus.yml"), "global:\n  scrape_interval: 1h\n");
      Process prometheus = new ProcessBuilder(prometheusBinary.toString(), "--config.file=" + promData.resolve("prometheus.yml"),
          "--storage.tsdb.path=" + promData.resolve("data"), "--web.listen-address=127.0.0.1:" + promPort,
          "--web.enable-remote-write-receiver", "--storage.tsdb.retention.time=30d")
          .redirectErrorStream(true).redirectOutput(promData.resolve("prometheus.log").toFile()).start();
      Thread stopPrometheus = new Thread(prometheus::destroy); // a held bench ends by a signal, past the finally
      Runtime.getRuntime().addShutdownHook(stopPrometheus);
      try {
        String prom = "http://127.0.0.1:" + promPort;
        String ours = "http://127.0.0.1:" + api.httpPort();
        String write = "http://127.0.0.1:" + aggregator.httpPort() + "/api/v1/write";
        String metrics = "http://127.0.0.1:" + aggregator.httpPort() + "/metrics";
        awaitReady(prom + "/-/ready");
        long total = families.stream().mapToLong(f -> f.samples(intervalMs)).sum();
        long history = families.stream().mapToLong(f -> f.samplesBefore(liveFrom, intervalMs)).sum();
        long live = total - history;
        System.out.printf("%,d samples: %,d in windows over (late, before %s), %,d live; %s%n", total, history,
            java.time.Instant.ofEpochMilli(liveFrom), live, families);

        // history first, then the live windows, each side in turn; Fleetlens compacts the history as it would
        // by itself once those windows are over (compaction.grace-ms after their end)
        Ingest promHistory = Ingest.of(() -> send(prom + "/api/v1/write", families, intervalMs, Long.MIN_VALUE, liveFrom),
            () -> cpuSeconds(prometheus), () -> 0.0);
        Ingest promLive = Ingest.of(() -> send(prom + "/api/v1/write", families, intervalMs, liveFrom, Long.MAX_VALUE),
            () -> cpuSeconds(prometheus), () -> 0.0);
        CpuMeter cpu = new CpuMeter(es);
        Ingest oursHistory = Ingest.of(() -> {
          send(write, families, intervalMs, Long.MIN_VALUE, liveFrom);
          awaitStored(metrics, history, es);
        }, () -> cpu.elasticsearchSeconds(), () -> cpu.aggregatorSeconds());
        double docBytes = history == 0 ? Double.NaN : bytesPerSample(es, "bench-samples-*", history);
        long[] compacted = new long[1];
        Ingest compaction = Ingest.of(() -> {
          try (ElasticsearchClient client = ElasticsearchClients.create(new ElasticsearchSettings(
              List.of(es.httpUrl()), "bench", 1, 0, "5s", false))) {
            MetricIndexLayout layout = new MetricIndexLayout("bench");
            compacted[0] = new SampleCompactor(client, layout, new MetricIndices(client, layout, 1, 0, "5s"), "bench",
                3_600_000).compactDue(liveFrom, 0).stream().mapToLong(SampleCompactor.Compacted::samples).sum();
          }
          refresh(es);
        }, () -> cpu.elasticsearchSeconds(), () -> cpu.aggregatorSeconds());
        double compactedBytes = history == 0 ? Double.NaN : bytesPerSample(es, "bench-chunks-*", history);
        double[] liveSending = new double[1];
        System.out.println("sending the live windows to Fleetlens"); // a mark to start a profiler by
        Ingest oursLive = Ingest.of(() -> {
          long t0 = System.nanoTime();
          send(write, families, intervalMs, liveFrom, Long.MAX_VALUE);
          liveSending[0] = (System.nanoTime() - t0) / 1e9;
          awaitStored(metrics, total, es);
        }, () -> cpu.elasticsearchSeconds(), () -> cpu.aggregatorSeconds());
        System.out.printf("Prometheus: history %s, live %s%n", promHistory, promLive);
        System.out.printf("Fleetlens: history %s, compaction of %,d samples %s, live %s (%.1f s of it remote_write"
            + " requests, the rest until stored)%n", oursHistory, compacted[0], compaction, oursLive, liveSending[0]);
        double writes = metric(metrics, "fleetlens_aggregator_head_writes_seconds_count");
        System.out.printf("  series heads: %.0f writes to Elasticsearch, %.1f s in them%n", writes,
            metric(metrics, "fleetlens_aggregator_head_writes_seconds_sum"));

        // queries over what is stored as it would be: windows over compacted, live windows as the heads wrote them
        List<Query> queries = queries(families, intervalMs);
        for (int round = 0; round < WARM_UP_ROUNDS; round++) {
          for (Query query : queries) {
            ask(prom, query);
            ask(ours, query);
          }
        }
        double[] prometheusMs = new double[queries.size()];
        double[] oursMs = new double[queries.size()];
        for (int i = 0; i < queries.size(); i++) {
          prometheusMs[i] = latency(prom, queries.get(i));
          oursMs[i] = latency(ours, queries.get(i));
          compare(ours, prom, queries.get(i));
        }
        double allBytes = bytesPerSample(es, "bench-chunks-*,bench-series", total);
        double liveBytes = history == 0 ? allBytes : (allBytes * total - compactedBytes * history) / live;
        double promBytes = (double) directorySize(promData.resolve("data")) / total;

        System.out.println();
        String row = "%-70s %12s %12s %7s%n";
        System.out.printf(row, "", "Fleetlens", "Prometheus", "ratio");
        System.out.printf(row, "ingest, live windows: samples/s, remote_write to queryable",
            String.format("%,.0f", oursLive.rate(live)), String.format("%,.0f", promLive.rate(live)),
            String.format("%.2f", oursLive.rate(live) / promLive.rate(live)));
        System.out.printf(row, "ingest, windows over (late samples): samples/s, to queryable",
            String.format("%,.0f", oursHistory.rate(history)), String.format("%,.0f", promHistory.rate(history)),
            String.format("%.2f", oursHistory.rate(history) / promHistory.rate(history)));
        System.out.printf(row, "CPU-s per million live samples (ES + aggregator; Prometheus)",
            String.format("%.1f", oursLive.cpuPerMillion(live)), String.format("%.1f", promLive.cpuPerMillion(live)),
            String.format("%.2f", oursLive.cpuPerMillion(live) / promLive.cpuPerMillion(live)));
        System.out.printf(row, "  of which Elasticsearch / aggregator", String.format("%.1f / %.1f",
            oursLive.esPerMillion(live), oursLive.appPerMillion(live)), "", "");
        System.out.printf(row, "CPU-s per million late samples, ingest + compaction", String.format("%.1f",
            oursHistory.cpuPerMillion(history) + compaction.cpuPerMillion(history)),
            String.format("%.1f", promHistory.cpuPerMillion(history)), String.format("%.2f",
            (oursHistory.cpuPerMillion(history) + compaction.cpuPerMillion(history))
                / promHistory.cpuPerMillion(history)));
        for (int i = 0; i < queries.size(); i++) {
          System.out.printf(row, queries.get(i).label(), String.format("%,.1f", oursMs[i]),
              String.format("%,.1f", prometheusMs[i]), String.format("%.2f", oursMs[i] / prometheusMs[i]));
        }
        System.out.printf(row, "storage: bytes per sample, live windows (chunks the heads wrote)",
            String.format("%.2f", liveBytes), String.format("%.2f", promBytes), String.format("%.2f", liveBytes / promBytes));
        System.out.printf(row, "storage: bytes per sample, windows over (compacted chunks)",
            String.format("%.2f", compactedBytes), String.format("%.2f", promBytes),
            String.format("%.2f", compactedBytes / promBytes));
        System.out.printf(row, "storage: bytes per sample, late samples before compaction (documents)",
            String.format("%.2f", docBytes), String.format("%.2f", promBytes), String.format("%.2f", docBytes / promBytes));
        System.out.println("(Elasticsearch force-merged, series index in the live row; Prometheus: its data folder,"
            + " head and WAL, all samples)");
        printFieldSizes(es, "bench-chunks-*,bench-series", total);
        if (hold) {
          System.out.println("holding for questions by hand until stopped: Elasticsearch at " + es.httpUrl()
              + ", the query API at " + ours + ", Prometheus at " + prom);
          Thread.sleep(Long.MAX_VALUE);
        }
      } finally {
        prometheus.destroy();
        prometheus.waitFor();
      }
    }
  }

  /**
   * The benches' aggregator: metrics topic {@code bench.metrics} (6 partitions, 2 consumers), indices
   * {@code bench-*}, compaction off (the bench compacts when it wants to) with the one-hour grace
   * that sets which windows are live.
   */
  static AggregatorConfig aggregatorConfig(EmbeddedKafka kafka, LocalElasticsearch es) {
    return new AggregatorConfig(
        new AggregatorConfig.Kafka(kafka.bootstrapServers(), "bench.logs", "bench.logs.dead-letter", "bench.metrics",
            "bench.metrics.dead-letter", "bench-aggregator", 1, 2, 10_000, 600_000, true, 6, (short) 1),
        new AggregatorConfig.Elasticsearch(List.of(es.httpUrl()), "bench", 1, 0, "5s", false),
        new AggregatorConfig.Retry(100, 2_000), new AggregatorConfig.Retention(0, 0, 3_600_000),
        new AggregatorConfig.Compaction(false, GRACE_MS, 300_000, 600_000), new AggregatorConfig.AccessLogs(false, 1_000),
        new AggregatorConfig.Federation(List.of(), List.of("{__name__=~\".+\"}"), "replica", 30_000, 10_000),
        new AggregatorConfig.Http("127.0.0.1", 0));
  }

  /** One ingest phase measured: wall time and the CPU time of the two sides that spend it. */
  private record Ingest(double seconds, double storeCpu, double appCpu) {

    interface Work {
      void run() throws Exception;
    }

    interface Seconds {
      double get() throws Exception;
    }

    static Ingest of(Work work, Seconds store, Seconds app) throws Exception {
      double store0 = store.get();
      double app0 = app.get();
      long t0 = System.nanoTime();
      work.run();
      return new Ingest((System.nanoTime() - t0) / 1e9, store.get() - store0, app.get() - app0);
    }

    double rate(long samples) {
      return samples / seconds;
    }

    double cpuPerMillion(long samples) {
      return (storeCpu + appCpu) / (samples / 1e6);
    }

    double esPerMillion(long samples) {
      return storeCpu / (samples / 1e6);
    }

    double appPerMillion(long samples) {
      return appCpu / (samples / 1e6);
    }

    @Override
    public String toString() {
      return String.format("%.1f s (CPU %.1f s + %.1f s)", seconds, storeCpu, appCpu);
    }
  }

  private static double cpuSeconds(Process process) {
    return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO).toMillis() / 1000.0;
  }

  private static void awaitStored(String metrics, long samples, LocalElasticsearch es) throws Exception {
    while (stored(metrics) < samples) {
      Thread.sleep(100);
    }
    refresh(es);
  }

  private static void awaitReady(String url) throws Exception {
    for (int i = 0; i < 300; i++) {
      try {
        if (HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
            .statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // starting
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(url + " not ready");
  }

  /** The aggregator's metrics whose names start with {@code prefix}, summed (all their series). */
  static double metric(String metrics, String prefix) throws Exception {
    double n = 0;
    for (String line : HTTP.send(HttpRequest.newBuilder(URI.create(metrics)).build(),
        HttpResponse.BodyHandlers.ofString()).body().split("\n")) {
      if (line.startsWith(prefix)) {
        n += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return n;
  }

  static double stored(String metrics) throws Exception {
    double n = 0;
    for (String line : HTTP.send(HttpRequest.newBuilder(URI.create(metrics)).build(),
        HttpResponse.BodyHandlers.ofString()).body().split("\n")) {
      if (line.startsWith("fleetlens_aggregator_samples_total{")) {
        n += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return n;
  }

  /** Sends every family's samples in [fromMs, toMs) in time order, in batches, as remote_write requests. */
  private static void send(String url, List<Family> families, long intervalMs, long fromMs, long toMs)
      throws Exception {
    Batch batch = new Batch(url);
    long from = families.stream().mapToLong(Family::fromMs).min().orElseThrow();
    long to = families.stream().mapToLong(Family::toMs).max().orElseThrow();
    for (long t = from; t <= to; t += intervalMs) {
      long step = (t - from) / intervalMs;
      if (t < fromMs || t >= toMs) {
        continue;
      }
      for (Family f : families) {
        if (t < f.fromMs()) {
          continue;
        }
        for (int c = 0; c < f.counters(); c++) {
          batch.add(new String[] {"__name__", f.name() + "_requests_total", "cluster", "bench", "instance", "i-" + c},
              t, step * (10 + c % 7));
        }
        for (int h = 0; h < f.histograms(); h++) {
          double cumulative = 0;
          for (int b = 0; b < BUCKETS.length; b++) {
            cumulative += (b + 1) * (1 + h % 3);
            String le = Double.isInfinite(BUCKETS[b]) ? "+Inf" : Double.toString(BUCKETS[b]);
            batch.add(new String[] {"__name__", f.name() + "_latency_seconds_bucket", "cluster", "bench",
                "instance", "i-" + h, "le", le}, t, step * cumulative);
          }
        }
      }
    }
    batch.flush();
  }

  /** Remote write requests of up to {@link #BATCH} samples. */
  static final class Batch {
    private final String url;
    private final List<String[]> labels = new ArrayList<>();
    private final List<double[]> points = new ArrayList<>();

    Batch(String url) {
      this.url = url;
    }

    void add(String[] pairs, long t, double v) throws Exception {
      labels.add(pairs);
      points.add(new double[] {t, v});
      if (labels.size() >= BATCH) {
        flush();
      }
    }

    void flush() throws Exception {
      if (labels.isEmpty()) {
        return;
      }
      ByteArrayOutputStream request = new ByteArrayOutputStream();
      CodedOutputStream r = CodedOutputStream.newInstance(request);
      for (int i = 0; i < labels.size(); i++) {
        ByteArrayOutputStream series = new ByteArrayOutputStream();
        CodedOutputStream s = CodedOutputStream.newInstance(series);
        String[] pairs = labels.get(i);
        String[][] sorted = new String[pairs.length / 2][];
        for (int k = 0; k < sorted.length; k++) {
          sorted[k] = new String[] {pairs[2 * k], pairs[2 * k + 1]};
        }
        Arrays.sort(sorted, (a, b) -> a[0].compareTo(b[0]));
        for (String[] label : sorted) {
          ByteArrayOutputStream l = new ByteArrayOutputStream();
          CodedOutputStream lo = CodedOutputStream.newInstance(l);
          lo.writeString(1, label[0]);
          lo.writeString(2, label[1]);
          lo.flush();
          s.writeByteArray(1, l.toByteArray());
        }
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        CodedOutputStream po = CodedOutputStream.newInstance(p);
        po.writeDouble(1, points.get(i)[1]);
        po.writeInt64(2, (long) points.get(i)[0]);
        po.flush();
        s.writeByteArray(2, p.toByteArray());
        s.flush();
        r.writeByteArray(1, series.toByteArray());
      }
      r.flush();
      byte[] proto = request.toByteArray();
      SnappyCompressor snappy = new SnappyCompressor();
      byte[] out = new byte[snappy.maxCompressedLength(proto.length)];
      int n = snappy.compress(proto, 0, proto.length, out, 0, out.length);
      for (int attempt = 0; ; attempt++) {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
            .header("X-Prometheus-Remote-Write-Version", "0.1.0")
            .POST(HttpRequest.BodyPublishers.ofByteArray(Arrays.copyOf(out, n))).build(),
            HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 == 2) {
          break;
        }
        if (response.statusCode() / 100 == 4 || attempt > 20) {
          throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
        }
        Thread.sleep(500);
      }
      labels.clear();
      points.clear();
    }
  }

  /** One query_range measured: the PromQL, its range and step, and how the table names it. */
  private record Query(String promql, long[] range, long step, String label) {
  }

  private static List<Query> queries(List<Family> families, long intervalMs) {
    List<Query> queries = new ArrayList<>();
    for (Family f : families) {
      long hoursOf = (f.toMs() - f.fromMs()) / 3_600_000L;
      List<long[]> ranges = new ArrayList<>();
      ranges.add(new long[] {f.toMs() - 3_600_000L, f.toMs()});
      if (hoursOf >= 24) {
        ranges.add(new long[] {f.toMs() - 24 * 3_600_000L, f.toMs()});
      }
      for (long[] range : ranges) {
        String span = (range[1] - range[0]) / 3_600_000L + " h";
        for (String query : List.of("sum(rate(" + f.name() + "_requests_total[5m]))",
            "histogram_quantile(0.9, sum by (le) (rate(" + f.name() + "_latency_seconds_bucket[5m])))",
            "topk(5, rate(" + f.name() + "_requests_total[5m]))")) {
          long step = Math.max(intervalMs, (range[1] - range[0]) / 240);
          String kind = query.startsWith("sum") ? "sum(rate())" : query.startsWith("topk") ? "topk(5, rate())"
              : "histogram_quantile()";
          String label = String.format("query_range %s, %d series, %s (ms, median of %d)", kind, f.series(), span,
              RUNS);
          queries.add(new Query(query, range, step, label));
        }
      }
    }
    return queries;
  }

  private static void refresh(LocalElasticsearch es) throws Exception {
    HTTP.send(HttpRequest.newBuilder(URI.create(es.httpUrl() + "/bench-*/_refresh"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static double bytesPerSample(LocalElasticsearch es, String indices, long samples) throws Exception {
    // documents written over (the heads rewrite their window's chunk) are let go first: a merge to one segment
    // keeps them where the index already is one segment
    HTTP.send(HttpRequest.newBuilder(URI.create(es.httpUrl() + "/" + indices + "/_forcemerge?only_expunge_deletes=true"))
        .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofMinutes(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    HTTP.send(HttpRequest.newBuilder(URI.create(es.httpUrl() + "/" + indices + "/_forcemerge?max_num_segments=1"))
        .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofMinutes(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode stats = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(es.httpUrl() + "/" + indices
        + "/_stats/store")).build(), HttpResponse.BodyHandlers.ofString()).body());
    return (double) stats.path("_all").path("primaries").path("store").path("size_in_bytes").asLong() / samples;
  }

  /** Where the bytes of these indices go: each field's share (Elasticsearch's _disk_usage), per sample stored. */
  private static void printFieldSizes(LocalElasticsearch es, String indices, long samples) throws Exception {
    JsonNode usage = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(es.httpUrl() + "/" + indices
        + "/_disk_usage?run_expensive_tasks=true")).POST(HttpRequest.BodyPublishers.noBody())
        .timeout(Duration.ofMinutes(10)).build(), HttpResponse.BodyHandlers.ofString()).body());
    java.util.Map<String, long[]> byField = new java.util.TreeMap<>(); // total, inverted index, stored, doc values, points
    usage.properties().forEach(index -> index.getValue().path("fields").properties().forEach(field -> {
      JsonNode f = field.getValue();
      long[] sum = byField.computeIfAbsent(field.getKey(), k -> new long[5]);
      sum[0] += f.path("total_in_bytes").asLong();
      sum[1] += f.path("inverted_index").path("total_in_bytes").asLong();
      sum[2] += f.path("stored_fields_in_bytes").asLong();
      sum[3] += f.path("doc_values_in_bytes").asLong();
      sum[4] += f.path("points_in_bytes").asLong();
    }));
    System.out.printf("%nbytes per sample (all samples) by field, %s: total (terms / stored / doc values / points)%n",
        indices);
    byField.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0])).limit(10)
        .forEach(e -> System.out.printf("  %-24s %6.3f (%.3f / %.3f / %.3f / %.3f)%n", e.getKey(),
            (double) e.getValue()[0] / samples, (double) e.getValue()[1] / samples, (double) e.getValue()[2] / samples,
            (double) e.getValue()[3] / samples, (double) e.getValue()[4] / samples));
  }

  private static String rangeQuery(String base, Query q) {
    return base + "/api/v1/query_range?query=" + URLEncoder.encode(q.promql(), StandardCharsets.UTF_8) + "&start="
        + q.range()[0] / 1000 + "&end=" + q.range()[1] / 1000 + "&step=" + q.step() / 1000;
  }

  private static double latency(String base, Query query) throws Exception {
    double[] ms = new double[RUNS];
    for (int i = 0; i < RUNS; i++) {
      long t0 = System.nanoTime();
      ask(base, query);
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    return ms[RUNS / 2];
  }

  private static void ask(String base, Query query) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(rangeQuery(base, query)))
        .timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(base + " " + query + ": " + response.body());
    }
  }

  /** Prints where the two answers differ (last point of each series), so a fast wrong answer shows. */
  private static void compare(String ours, String prom, Query query) throws Exception {
    JsonNode a = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(rangeQuery(ours, query))).build(),
        HttpResponse.BodyHandlers.ofString()).body()).path("data").path("result");
    JsonNode b = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(rangeQuery(prom, query))).build(),
        HttpResponse.BodyHandlers.ofString()).body()).path("data").path("result");
    if (a.size() != b.size() || a.size() == 0) {
      System.out.printf("    answers differ: %d series vs %d%n", a.size(), b.size());
      return;
    }
    JsonNode va = a.get(0).path("values");
    JsonNode vb = b.get(0).path("values");
    double x = va.get(va.size() - 1).get(1).asDouble();
    double y = vb.get(vb.size() - 1).get(1).asDouble();
    if (va.size() != vb.size() || Math.abs(x - y) > 1e-6 * Math.max(1, Math.abs(y))) {
      System.out.printf("    answers differ: %d points, last %s vs %d points, last %s%n", va.size(), x, vb.size(), y);
    }
  }

  private static long directorySize(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          return 0;
        }
      }).sum();
    }
  }

}
