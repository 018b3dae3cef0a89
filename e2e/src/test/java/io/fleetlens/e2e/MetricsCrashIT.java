package io.fleetlens.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.fleetlens.aggregator.AggregatorMain;
import io.fleetlens.core.metrics.Sample;
import io.fleetlens.devservers.FreePorts;
import io.fleetlens.devservers.LocalElasticsearch;
import io.fleetlens.query.QueryApiConfig;
import io.fleetlens.query.QueryApiMain;
import io.fleetlens.testkit.KafkaFixture;
import io.fleetlens.testkit.RealServers;

/**
 * The aggregator's series heads against crashes, under a steady remote_write load of live samples:
 * the aggregator killed with SIGKILL (what its heads held and had not stored is read again from
 * Kafka and merged with what was), then Elasticsearch killed with SIGKILL and kept down for 60 s
 * (the heads wait, nothing is committed, the load goes on into Kafka). Afterwards every sample sent
 * is queryable exactly once, and {@code rate()} has no gap. Elasticsearch here is a node of its
 * own, so the shared one stays up for the other tests.
 */
@ExtendWith(RealServers.class)
class MetricsCrashIT {

  private static final String NAME = "metricscrash";
  private static final int SERIES = 200;
  private static final long STEP_MS = 1_000; // sample time advances a second a round, faster than the clock

  @Test
  void aSigkilledAggregatorAndAnElasticsearchDownForAMinuteLoseAndDoubleNothing(KafkaFixture kafka,
      @TempDir Path work) throws Exception {
    try (LocalElasticsearch es = LocalElasticsearch.prepare(Path.of("target", "testkit").toAbsolutePath(), NAME, true,
        "384m", FreePorts.next()).start()) {
      String yaml = String.join("\n",
          "kafka:",
          "  bootstrap-servers: " + kafka.bootstrapServers(),
          "  topic: " + NAME + ".logs",
          "  dead-letter-topic: " + NAME + ".logs.dead-letter",
          "  metrics-topic: " + NAME + ".metrics",
          "  metrics-dead-letter-topic: " + NAME + ".metrics.dead-letter",
          "  group-id: " + NAME + "-aggregator",
          "  partitions: 3",
          "elasticsearch:",
          "  hosts: [\"" + es.httpUrl() + "\"]",
          "  index-prefix: " + NAME,
          "  refresh-interval: 1s",
          "retry:",
          "  max-backoff-ms: 2000",
          "metric-heads:",
          "  flush-interval-ms: 2000",
          "compaction:",
          "  enabled: false",
          "access-logs:",
          "  enabled: false");
      try (QueryApiMain api = new QueryApiMain(new QueryApiConfig(new QueryApiConfig.Elasticsearch(List.of(es.httpUrl()),
          NAME), new QueryApiConfig.Promql(50_000_000, 10_000, 60_000, 300_000), new QueryApiConfig.Http("127.0.0.1", 0),
          QueryApiConfig.Database.inMemory(NAME), QueryApiConfig.Alerting.defaults().off(), QueryApiConfig.Auth.off(),
          QueryApiConfig.Limits.defaults()));
          AppProcess first = new AppProcess(work, "aggregator-1", AggregatorMain.class, yaml).start()) {
        run(es, api, first, work, yaml);
      }
    }
  }

  private static void run(LocalElasticsearch es, QueryApiMain api, AppProcess first, Path work, String yaml)
    throws Exception {
    AtomicReference<String> target = new AtomicReference<>(first.url());
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong rounds = new AtomicLong();
    // about 8 rounds a second for some 900 rounds: 15 minutes of sample time from 50 minutes ago, in live windows
    long t0 = (System.currentTimeMillis() - 50 * 60_000L) / 60_000 * 60_000;
    Thread load = new Thread(() -> remoteWrite(target, t0, rounds, stop), "remote-write-load");
    AppProcess second = null;
    try {
      try {
        load.start();
        awaitRounds(rounds, 50);
        first.kill(); // mid-load: heads held, some stored, offsets partly committed
        second = new AppProcess(work, "aggregator-2", AggregatorMain.class, yaml).start();
        target.set(second.url());
        awaitRounds(rounds, rounds.get() + 50);
        es.crash();
        long downFrom = rounds.get();
        Thread.sleep(60_000); // the load goes on into Kafka, the heads cannot be stored
        assertThat(rounds.get()).as("remote_write kept taking samples while Elasticsearch was down")
            .isGreaterThan(downFrom + 100);
        es.start();
        awaitRounds(rounds, rounds.get() + 50);
      } finally {
        stop.set(true);
        load.join(60_000);
      }
      check(api, second, t0, rounds.get());
    } finally {
      if (second != null) {
        second.close();
      }
    }
  }

  private static void check(QueryApiMain api, AppProcess second, long t0, long sent) throws Exception {
    long end = t0 + (sent - 1) * STEP_MS;
    String queryApi = "http://127.0.0.1:" + api.httpPort();
    // every series has each round's sample once: counted by the store, not by the aggregator's word
    String count = "/api/v1/query?query=" + q("count(count_over_time(load_total[1h]) == " + sent + ")")
        + "&time=" + seconds(end);
    String total = "/api/v1/query?query=" + q("sum(count_over_time(load_total[1h]))") + "&time=" + seconds(end);
    Instant deadline = Instant.now().plusSeconds(180);
    while (value(queryApi + count) != SERIES) {
      assertThat(Instant.now()).as("all %d series with %d samples each; samples found: %s", SERIES, sent,
          value(queryApi + total)).isBefore(deadline);
      Thread.sleep(500);
    }
    assertThat(value(queryApi + total)).isEqualTo((double) SERIES * sent);

    // rate() over the whole load at the sample step: a value at every step for every series, all alike
    JsonNode rate = Http.get(queryApi + "/api/v1/query_range?query=" + q("rate(load_total[10s])") + "&start="
        + seconds(t0 + 10_000) + "&end=" + seconds(end) + "&step=1").json().path("data").path("result");
    assertThat(rate).hasSize(SERIES);
    long steps = (end - (t0 + 10_000)) / 1_000 + 1;
    for (JsonNode series : rate) {
      assertThat(series.path("values")).as("rate() of %s", series.path("metric")).hasSize((int) steps)
          .allSatisfy(p -> assertThat(p.get(1).asDouble()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9)));
    }
    double duplicates = Http.metric(second.url() + "/metrics",
        "fleetlens_aggregator_samples_total{app=\"aggregator\",result=\"duplicate\"}");
    System.out.printf("metrics crash: %d series x %d samples queryable once; %.0f read again and found stored%n",
        SERIES, sent, duplicates);
  }

  /** One sample per series a round, value = round (a counter rising 1 a second of sample time); each request retried until taken. */
  private static void remoteWrite(AtomicReference<String> target, long t0, AtomicLong rounds, AtomicBoolean stop) {
    String auth = "Basic " + java.util.Base64.getEncoder().encodeToString("crash:x".getBytes(StandardCharsets.UTF_8));
    while (!stop.get()) {
      long round = rounds.get();
      List<Sample> batch = new ArrayList<>(SERIES);
      for (int s = 0; s < SERIES; s++) {
        batch.add(new Sample("load_total", new TreeMap<>(Map.of("instance", "i-" + s)), t0 + round * STEP_MS, round));
      }
      try {
        if (Http.remoteWrite(target.get(), batch, auth).status() == 204) {
          rounds.incrementAndGet();
          Thread.sleep(100);
          continue;
        }
      } catch (java.io.IOException refused) {
        // the aggregator is down or restarting: send the same request again, as Prometheus does
      } catch (InterruptedException e) {
        return;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static void awaitRounds(AtomicLong rounds, long atLeast) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(120);
    while (rounds.get() < atLeast) {
      assertThat(Instant.now()).as("remote_write taking samples (%d rounds of %d)", rounds.get(), atLeast)
          .isBefore(deadline);
      Thread.sleep(50);
    }
  }

  private static double value(String url) throws Exception {
    JsonNode result = Http.get(url).json().path("data").path("result");
    return result.isEmpty() ? 0 : result.get(0).path("value").path(1).asDouble();
  }

  private static String seconds(long ms) {
    return new java.math.BigDecimal(ms).movePointLeft(3).toPlainString();
  }

  private static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
