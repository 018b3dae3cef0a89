package io.fleetlens.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

import io.fleetlens.aggregator.JsonFields;
import io.fleetlens.core.logs.ContainerRef;
import io.fleetlens.core.logs.LogLevel;
import io.fleetlens.core.logs.LogOrigin;
import io.fleetlens.core.logs.LogRecord;
import io.fleetlens.core.logs.LogStream;
import io.fleetlens.core.logs.WriteOutcome;
import io.fleetlens.devservers.FreePorts;
import io.fleetlens.devservers.LocalElasticsearch;
import io.fleetlens.query.QueryApiConfig;
import io.fleetlens.query.QueryApiMain;
import io.fleetlens.storage.elasticsearch.ElasticsearchClients;
import io.fleetlens.storage.elasticsearch.ElasticsearchLogWriter;
import io.fleetlens.storage.elasticsearch.ElasticsearchSettings;
import io.fleetlens.storage.elasticsearch.LogIndexLayout;
import io.fleetlens.storage.elasticsearch.LogIndexTemplate;

/**
 * LogQL through the Loki API beside the same work asked of Elasticsearch by hand, over one set of
 * stored lines (the demo's mix, spread over the last 24 hours): the log volume by level
 * ({@code sum by (level) (count_over_time({...}[1m]))} over 24 h, 1 m step) beside a
 * {@code date_histogram} with {@code terms}; a line filter ({@code |= "checkout failed"}, limit 100,
 * over 24 h) beside a {@code match_phrase} sorted by time; and {@code | json | status >= 500}
 * (limit 100, over 1 h) beside a range on the stored field. Each query runs warm, the median of
 * {@code --runs}, the two kinds alternating.
 *
 * <p>Run by hand: {@code ./fleetlens bench logql [--lines 10000000] [--runs 7] [--heap 4g] [--data DIR]}
 * (see bench/README.md); with {@code --data}, the stored lines stay in {@code DIR} and a later run
 * with as many lines queries them again instead of loading.
 */
public final class LogqlBench {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private static final String INDEX_PREFIX = "logql-bench";
  private static final int BATCH = 5_000;
  private static final List<String> PATHS = List.of("/", "/cart", "/cart/items", "/checkout", "/search?q=shoes");

  private record Pair(String name, String elasticsearchBody, String lokiPath) {
  }

  public static void main(String[] args) throws Exception {
    long lines = 10_000_000;
    int runs = 7;
    String heap = "4g";
    Path data = null;
    boolean hold = false;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--lines" -> lines = Long.parseLong(args[i + 1]);
        case "--runs" -> runs = Integer.parseInt(args[i + 1]);
        case "--heap" -> heap = args[i + 1];
        case "--data" -> data = Path.of(args[i + 1]);
        case "--hold" -> hold = Boolean.parseBoolean(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path work = data != null ? data : Files.createTempDirectory("fleetlens-logql-bench");
    Files.createDirectories(work);
    Path stored = work.resolve("stored-lines.properties"); // what an earlier run with --data left there
    java.util.Properties kept = new java.util.Properties();
    if (data != null && Files.exists(stored)) {
      try (var in = Files.newInputStream(stored)) {
        kept.load(in);
      }
    }
    boolean reuse = Long.toString(lines).equals(kept.getProperty("lines"));
    long end = reuse ? Long.parseLong(kept.getProperty("end")) : System.currentTimeMillis() / 60_000 * 60_000;
    long start = end - 24 * 3_600_000L;
    try (LocalElasticsearch es = LocalElasticsearch.prepare(work.resolve("es"), "node-0", !reuse, heap,
        FreePorts.next()).start()) {
      ElasticsearchSettings settings = new ElasticsearchSettings(List.of(es.httpUrl()), INDEX_PREFIX, 1, 0, "30s",
          false);
      LogIndexLayout layout = new LogIndexLayout(INDEX_PREFIX);
      if (reuse) {
        System.out.printf(Locale.ROOT, "reusing the %,d lines stored in %s%n", lines, work);
      } else {
        Files.deleteIfExists(stored);
        try (ElasticsearchClient client = ElasticsearchClients.create(settings)) {
          LogIndexTemplate.install(client, settings, layout);
          long t0 = System.nanoTime();
          load(client, layout, lines, start, end);
          client.indices().refresh(r -> r.index(INDEX_PREFIX + "-logs-*"));
          System.out.printf(Locale.ROOT, "stored %,d lines in %.0f s%n", lines, (System.nanoTime() - t0) / 1e9);
          client.indices().forcemerge(f -> f.index(INDEX_PREFIX + "-logs-*").maxNumSegments(1L));
        }
        if (data != null) {
          kept.setProperty("lines", Long.toString(lines));
          kept.setProperty("end", Long.toString(end));
          try (var out = Files.newOutputStream(stored)) {
            kept.store(out, "lines the LogQL bench stored in es/, over the 24 hours before end (Unix ms)");
          }
        }
      }
      try (QueryApiMain api = new QueryApiMain(new QueryApiConfig(new QueryApiConfig.Elasticsearch(
          List.of(es.httpUrl()), INDEX_PREFIX), new QueryApiConfig.Promql(200_000_000, 200_000, 300_000, 300_000),
          new QueryApiConfig.Http("127.0.0.1", 0), QueryApiConfig.Database.inMemory("db"),
          QueryApiConfig.Alerting.defaults().off(), QueryApiConfig.Auth.off(), QueryApiConfig.Limits.defaults()))) {
        String loki = "http://127.0.0.1:" + api.httpPort();
        String search = es.httpUrl() + "/" + INDEX_PREFIX + "-logs-*/_search";
        for (int w = 0; w < 3; w++) { // both JVMs warm, the indices in the page cache
          for (Pair pair : pairs(start - (w + 100) * 60_000L, end - (w + 100) * 60_000L)) {
            post(search, pair.elasticsearchBody());
            get(loki + pair.lokiPath());
          }
        }
        System.out.printf(Locale.ROOT, "%-44s %-7s %13s %12s %8s%n", "query (median of " + runs + ", warm)", "range",
            "Elasticsearch", "Fleetlens", "ratio");
        for (int p = 0; p < pairs(start, end).size(); p++) {
          // the same range each run (a size-0 request is then answered from the shard request
          // cache), and a range a minute earlier each run, as a dashboard refreshed every minute asks
          for (boolean moving : new boolean[] {false, true}) {
            long[] esTimes = new long[runs];
            long[] lokiTimes = new long[runs];
            String esAnswer = null;
            String lokiAnswer = null;
            String name = null;
            for (int r = -2; r < runs; r++) { // two runs to warm both up
              long shift = moving ? (r + 3) * 60_000L : 0;
              Pair pair = pairs(start - shift, end - shift).get(p);
              name = pair.name();
              long a = System.nanoTime();
              esAnswer = post(search, pair.elasticsearchBody());
              long b = System.nanoTime();
              lokiAnswer = get(loki + pair.lokiPath());
              long c = System.nanoTime();
              if (r >= 0) {
                esTimes[r] = b - a;
                lokiTimes[r] = c - b;
              }
            }
            double esMs = median(esTimes) / 1e6;
            double lokiMs = median(lokiTimes) / 1e6;
            System.out.printf(Locale.ROOT, "%-44s %-7s %10.1f ms %9.1f ms %8.2f   %s%n", name,
                moving ? "moving" : "same", esMs, lokiMs, lokiMs / esMs, agreement(name, esAnswer, lokiAnswer));
          }
        }
        if (hold) {
          System.out.println("holding for questions by hand until stopped: Elasticsearch at " + es.httpUrl()
              + ", the Loki API at " + loki);
          Thread.sleep(Long.MAX_VALUE);
        }
      }
    }
  }

  private static List<Pair> pairs(long start, long end) {
    String day = "\"gt\": \"" + nanos(start) + "\", \"lte\": \"" + nanos(end) + "\"";
    String hour = "\"gt\": \"" + nanos(end - 3_600_000L) + "\", \"lte\": \"" + nanos(end) + "\"";
    String sortNewest = "\"sort\": [{\"@timestamp\": {\"order\": \"desc\", \"numeric_type\": \"date_nanos\"}}]";
    long offset = start % 60_000;
    return List.of(
        new Pair("sum by (level) (count_over_time([1m])) 24 h",
            "{\"size\": 0, \"query\": {\"bool\": {\"filter\": [{\"term\": {\"cluster\": \"bench\"}},"
                + " {\"range\": {\"@timestamp\": {" + day + "}}}]}}, \"aggs\": {\"t\": {\"date_histogram\":"
                + " {\"field\": \"@timestamp\", \"fixed_interval\": \"1m\", \"offset\": \"" + offset + "ms\"},"
                + " \"aggs\": {\"level\": {\"terms\": {\"field\": \"level\", \"size\": 10}}}}}}",
            "/loki/api/v1/query_range?query=" + q("sum by (level) (count_over_time({cluster=\"bench\"}[1m]))")
                + "&start=" + start * 1_000_000 + "&end=" + end * 1_000_000 + "&step=60"),
        new Pair("|= \"checkout failed\" limit 100, 24 h",
            "{\"size\": 100, \"query\": {\"bool\": {\"filter\": [{\"term\": {\"cluster\": \"bench\"}},"
                + " {\"range\": {\"@timestamp\": {" + day + "}}}], \"must\": [{\"match_phrase\": {\"message\":"
                + " \"checkout failed\"}}]}}, " + sortNewest + "}",
            "/loki/api/v1/query_range?query=" + q("{cluster=\"bench\"} |= \"checkout failed\"") + "&start="
                + start * 1_000_000 + "&end=" + end * 1_000_000 + "&limit=100&direction=backward"),
        new Pair("| json | status >= 500 limit 100, 1 h",
            "{\"size\": 100, \"query\": {\"bool\": {\"filter\": [{\"term\": {\"cluster\": \"bench\"}},"
                + " {\"term\": {\"container\": \"server\"}}, {\"range\": {\"@timestamp\": {" + hour + "}}},"
                + " {\"range\": {\"fields.status\": {\"gte\": \"500\"}}}]}}, " + sortNewest + "}",
            "/loki/api/v1/query_range?query=" + q("{cluster=\"bench\", container=\"server\"} | json | status >= 500")
                + "&start=" + (end - 3_600_000L) * 1_000_000 + "&end=" + end * 1_000_000
                + "&limit=100&direction=backward"));
  }

  /** Whether both answered the same amount: lines per query, or lines counted per level. */
  private static String agreement(String name, String es, String loki) throws Exception {
    JsonNode e = JSON.readTree(es);
    JsonNode l = JSON.readTree(loki).path("data");
    long esCount;
    long lokiCount = 0;
    if (name.startsWith("sum by")) {
      esCount = 0;
      for (JsonNode bucket : e.path("aggregations").path("t").path("buckets")) {
        esCount += bucket.path("doc_count").asLong();
      }
      for (JsonNode series : l.path("result")) {
        for (JsonNode point : series.path("values")) {
          lokiCount += Long.parseLong(point.get(1).asText());
        }
      }
    } else {
      esCount = e.path("hits").path("hits").size();
      for (JsonNode stream : l.path("result")) {
        lokiCount += stream.path("values").size();
      }
    }
    return esCount == lokiCount ? "(same: " + esCount + ")" : "(Elasticsearch " + esCount + ", Fleetlens " + lokiCount
        + ")";
  }

  /** The demo's mix of lines, evenly over {@code [start, end)}, written by two threads in batches. */
  private static void load(ElasticsearchClient client, LogIndexLayout layout, long lines, long start, long end)
      throws Exception {
    ElasticsearchLogWriter writer = new ElasticsearchLogWriter(client, layout);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> pending = new ArrayList<>();
      long batches = (lines + BATCH - 1) / BATCH;
      for (long b = 0; b < batches; b++) {
        long first = b * BATCH;
        long count = Math.min(BATCH, lines - first);
        pending.add(pool.submit(() -> {
          List<LogRecord> records = new ArrayList<>((int) count);
          SplittableRandom random = new SplittableRandom(first);
          for (long n = first; n < first + count; n++) {
            long nanos = start * 1_000_000L + (long) ((double) n / lines * (end - start) * 1_000_000L)
                + random.nextInt(1_000_000);
            records.add(line(n, Instant.ofEpochSecond(0, nanos), random));
          }
          List<WriteOutcome> outcomes = writer.write(records);
          for (WriteOutcome o : outcomes) {
            if (!(o instanceof WriteOutcome.Written)) {
              throw new IllegalStateException("a bench line was not stored: " + o);
            }
          }
          return null;
        }));
        if (pending.size() >= 8) {
          pending.remove(0).get();
        }
      }
      for (Future<?> f : pending) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** One line of the demo's mix: an ingress access log, a Java service, a JSON service, a plain one. */
  private static LogRecord line(long n, Instant at, SplittableRandom random) {
    int pod = (int) (n % 20);
    int kind = pod % 10; // 4 of 10 access logs, 3 Java, 2 JSON, 1 plain
    String namespace;
    String container;
    String message;
    LogLevel level;
    LogStream stream = LogStream.STDOUT;
    if (kind < 4) {
      namespace = "ingress";
      container = "controller";
      int status = new int[] {200, 200, 200, 200, 201, 304, 404, 500, 502}[random.nextInt(9)];
      message = String.format(Locale.ROOT, "10.244.%d.%d - - [02/Dec/2026:10:00:00 +0000] \"GET %s HTTP/1.1\" %d %d"
          + " \"-\" \"Mozilla/5.0\" %d %.3f [shop-cart-8080] [] 10.244.0.%d:8080 %d", random.nextInt(4),
          random.nextInt(250), PATHS.get(random.nextInt(PATHS.size())), status, 200 + random.nextInt(5000),
          300 + random.nextInt(400), random.nextDouble(), random.nextInt(250), status);
      level = status >= 500 ? LogLevel.ERROR : LogLevel.INFO;
    } else if (kind < 7) {
      namespace = "shop";
      container = "app";
      int roll = random.nextInt(100);
      if (roll < 70) {
        message = "INFO  [http-nio-8080-exec-" + random.nextInt(10) + "] c.e.cart.CartService - added item sku-"
            + random.nextInt(999) + " to cart " + n;
        level = LogLevel.INFO;
      } else if (roll < 93) {
        message = "WARN  [http-nio-8080-exec-3] c.e.cart.InventoryClient - inventory answered slowly: "
            + (300 + random.nextInt(900)) + " ms";
        level = LogLevel.WARN;
      } else {
        message = "ERROR [http-nio-8080-exec-7] c.e.cart.CheckoutController - checkout failed for cart " + n
            + ": payment service answered 503";
        level = LogLevel.ERROR;
        stream = LogStream.STDERR;
      }
    } else if (kind < 9) {
      namespace = "payments";
      container = "server";
      boolean failed = random.nextInt(20) == 0;
      message = String.format(Locale.ROOT, "{\"time\":\"%s\",\"level\":\"%s\",\"msg\":\"%s\",\"method\":\"POST\","
          + "\"path\":\"/v1/payments\",\"status\":%d,\"duration_ms\":%.1f,\"amount\":%d,\"currency\":\"EUR\","
          + "\"trace_id\":\"%016x\"}", at, failed ? "error" : "info", failed ? "card declined" : "payment authorised",
          failed ? 502 : 201, 20 + random.nextDouble() * 120, random.nextInt(50_000), random.nextLong());
      level = failed ? LogLevel.ERROR : LogLevel.INFO;
    } else {
      namespace = "ledger";
      container = "ledger";
      boolean warn = random.nextInt(10) == 0;
      message = (warn ? "WARN" : "INFO") + " ledger: committed batch " + n + " with " + random.nextInt(200)
          + " entries";
      level = warn ? LogLevel.WARN : LogLevel.INFO;
    }
    String podName = container + "-" + pod;
    LogRecord record = new LogRecord("bench", "node-" + pod % 3, new ContainerRef(namespace, podName, "uid-" + podName,
        container), at, stream, message, false, level, new LogOrigin("bench:" + podName, n));
    Map<String, String> fields = JsonFields.of(message);
    return fields.isEmpty() ? record : record.withFields(fields);
  }

  /** A time with all nine digits of its nanoseconds, as Elasticsearch reads a date_nanos bound exactly. */
  private static String nanos(long millis) {
    return java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'")
        .withZone(java.time.ZoneOffset.UTC).format(Instant.ofEpochMilli(millis));
  }

  private static String q(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static String post(String url, String body) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }

  private static String get(String url) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }

  private static double median(long[] values) {
    long[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
        : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2.0;
  }
}
