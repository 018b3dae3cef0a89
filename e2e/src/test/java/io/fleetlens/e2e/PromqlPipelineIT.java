package io.fleetlens.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

import io.fleetlens.aggregator.AggregatorConfig;
import io.fleetlens.aggregator.AggregatorMain;
import io.fleetlens.core.metrics.Labels;
import io.fleetlens.core.metrics.Sample;
import io.fleetlens.promql.conformance.ConformanceRunner;
import io.fleetlens.promql.eval.EvalException;
import io.fleetlens.promql.eval.Value;
import io.fleetlens.promql.parse.ParseException;
import io.fleetlens.query.QueryApiConfig;
import io.fleetlens.query.QueryApiMain;
import io.fleetlens.storage.elasticsearch.ElasticsearchClients;
import io.fleetlens.storage.elasticsearch.ElasticsearchSettings;
import io.fleetlens.storage.elasticsearch.metrics.MetricIndexLayout;
import io.fleetlens.storage.elasticsearch.metrics.MetricIndices;
import io.fleetlens.storage.elasticsearch.metrics.SampleCompactor;
import io.fleetlens.testkit.ElasticsearchFixture;
import io.fleetlens.testkit.KafkaFixture;
import io.fleetlens.testkit.RealServers;

/**
 * Prometheus' own PromQL test scripts through the whole pipeline: each script's data is sent with
 * remote_write to the aggregator, goes through Kafka into Elasticsearch, is compacted into chunks
 * (the scripts' windows are long over; data loaded after a compaction joins the chunks on the
 * next), and each query is asked of the query API over HTTP. Every case the engine passes in
 * memory must pass this way too. Reading uncompacted samples is covered by MetricsPipelineIT.
 */
@ExtendWith(RealServers.class)
class PromqlPipelineIT {

  private static final List<String> SCRIPTS = List.of("aggregators.test", "functions.test", "operators.test",
      "selectors.test", "at_modifier.test", "subquery.test", "literals.test");
  /**
   * Cases whose answer changes because every stored series carries a {@code cluster} label (the
   * scripts' series have none): {@code ignoring(group, instance, job)} still sees the cluster.
   */
  private static final java.util.Set<String> CHANGED_BY_THE_CLUSTER_LABEL = java.util.Set.of("operators.test:243");

  @Test
  void theSuiteAnswersTheSameThroughRemoteWriteKafkaElasticsearchAndHttp(KafkaFixture kafka,
      ElasticsearchFixture elasticsearch) throws Exception {
    Path suite = ConformanceRunner.suite();
    List<String> differences = new ArrayList<>();
    int passed = 0;
    int failed = 0;
    int skipped = 0;
    for (String script : SCRIPTS) {
      Map<String, ConformanceRunner.Outcome> inMemory = new HashMap<>();
      for (ConformanceRunner.Result r : new ConformanceRunner(ConformanceRunner.engine(), true).run(suite.resolve(script))) {
        inMemory.put(r.id(), r.outcome());
      }
      String name = "promql-" + script.replace(".test", "").replace('_', '-');
      try (AggregatorMain aggregator = aggregator(name, kafka, elasticsearch);
          QueryApiMain api = queryApi(name, elasticsearch);
          ElasticsearchClient client = ElasticsearchClients.create(new ElasticsearchSettings(
              List.of(elasticsearch.httpUrl()), name, 1, 0, "100ms", false))) {
        MetricIndexLayout layout = new MetricIndexLayout(name);
        SampleCompactor compactor = new SampleCompactor(client, layout, new MetricIndices(client, layout, 1, 0,
            "100ms"), "promql-pipeline-it", 60_000);
        PipelineBackend backend = new PipelineBackend("http://127.0.0.1:" + aggregator.httpPort(),
            "http://127.0.0.1:" + api.httpPort(), compactor);
        for (ConformanceRunner.Result r : new ConformanceRunner(backend, true).run(suite.resolve(script))) {
          switch (r.outcome()) {
            case PASSED -> passed++;
            case FAILED -> failed++;
            case SKIPPED -> skipped++;
          }
          if (inMemory.get(r.id()) == ConformanceRunner.Outcome.PASSED && r.outcome() != ConformanceRunner.Outcome.PASSED
              && !CHANGED_BY_THE_CLUSTER_LABEL.contains(r.id())) {
            differences.add(r.id() + ": " + r.reason());
          }
        }
      }
    }
    System.out.println("PromQL through the pipeline (" + String.join(", ", SCRIPTS) + ", up to each first clear): "
        + passed + " passed, " + failed + " failed, " + skipped + " skipped");
    assertThat(differences).as("cases the engine passes in memory but not through the pipeline").isEmpty();
    assertThat(passed).isGreaterThan(150);
  }

  private static AggregatorMain aggregator(String name, KafkaFixture kafka, ElasticsearchFixture elasticsearch)
      throws Exception {
    return new AggregatorMain(new AggregatorConfig(
        new AggregatorConfig.Kafka(kafka.bootstrapServers(), name + ".logs", name + ".logs.dead-letter",
            name + ".metrics", name + ".metrics.dead-letter", name + "-aggregator", 1, 1, 5_000, 600_000, true, 1,
            (short) 1),
        new AggregatorConfig.Elasticsearch(List.of(elasticsearch.httpUrl()), name, 1, 0, "100ms", false),
        new AggregatorConfig.Retry(100, 2_000), new AggregatorConfig.Retention(0, 0, 3_600_000),
            Pipeline.NO_COMPACTION, new AggregatorConfig.AccessLogs(true, 1_000), Pipeline.NO_FEDERATION, new AggregatorConfig.Http("127.0.0.1", 0)));
  }

  private static QueryApiMain queryApi(String name, ElasticsearchFixture elasticsearch) {
    return new QueryApiMain(new QueryApiConfig(new QueryApiConfig.Elasticsearch(List.of(elasticsearch.httpUrl()), name),
        new QueryApiConfig.Promql(50_000_000, 100_000, 60_000, 300_000), new QueryApiConfig.Http("127.0.0.1", 0), QueryApiConfig.Database.inMemory("db"),
        QueryApiConfig.Alerting.defaults(), QueryApiConfig.Auth.off(), QueryApiConfig.Limits.defaults()));
  }

  /** Loads through remote_write (cluster from basic credentials), queries through the Prometheus HTTP API. */
  static final class PipelineBackend implements ConformanceRunner.Backend {

    private static final String CLUSTER = "conformance";
    private final String aggregator;
    private final String api;
    private final SampleCompactor compactor;
    private final List<Sample> pending = new ArrayList<>();
    private long sent;

    PipelineBackend(String aggregator, String api, SampleCompactor compactor) {
      this.aggregator = aggregator;
      this.api = api;
      this.compactor = compactor;
    }

    @Override
    public void add(Labels series, long timeMs, double value) {
      Map<String, String> labels = new TreeMap<>(series.toMap());
      String metric = labels.remove(Labels.METRIC_NAME);
      pending.add(new Sample(metric, new TreeMap<>(labels), timeMs, value));
    }

    @Override
    public void clear() {
      throw new UnsupportedOperationException("the pipeline keeps what it stored");
    }

    private void flush() {
      if (pending.isEmpty()) {
        return;
      }
      try {
        for (int from = 0; from < pending.size(); from += 2_000) {
          List<Sample> chunk = pending.subList(from, Math.min(pending.size(), from + 2_000));
          Http.Response response = Http.remoteWrite(aggregator, chunk,
              "Basic " + Base64.getEncoder().encodeToString((CLUSTER + ":x").getBytes()));
          assertThat(response.status()).as(response.body()).isEqualTo(204);
        }
        sent += pending.size();
        pending.clear();
        Instant deadline = Instant.now().plusSeconds(120);
        while (stored() < sent) {
          if (Instant.now().isAfter(deadline)) {
            throw new AssertionError("only " + stored() + " of " + sent + " samples stored after 120 s");
          }
          Thread.sleep(100);
        }
        Thread.sleep(500); // the refresh interval, so searches see them
        assertThat(compactor.compactDue(System.currentTimeMillis(), 0)).isNotEmpty();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      } catch (java.io.IOException | io.fleetlens.core.logs.StoreUnavailableException e) {
        throw new IllegalStateException(e);
      }
    }

    private double stored() throws java.io.IOException, InterruptedException {
      String metrics = aggregator + "/metrics";
      return Http.metric(metrics, "fleetlens_aggregator_samples_total{app=\"aggregator\",result=\"stored\"}")
          + Http.metric(metrics, "fleetlens_aggregator_samples_total{app=\"aggregator\",result=\"duplicate\"}");
    }

    @Override
    public ConformanceRunner.Answer instant(String query, long timeMs) {
      flush();
      return answer(get("/api/v1/query?query=" + q(query) + "&time=" + seconds(timeMs)), timeMs);
    }

    @Override
    public ConformanceRunner.Answer range(String query, long startMs, long endMs, long stepMs) {
      flush();
      return answer(get("/api/v1/query_range?query=" + q(query) + "&start=" + seconds(startMs)
          + "&end=" + seconds(endMs) + "&step=" + seconds(stepMs)), startMs);
    }

    private static ConformanceRunner.Answer answer(JsonNode body, long timeMs) {
      List<String> warnings = new ArrayList<>();
      List<String> infos = new ArrayList<>();
      body.path("warnings").forEach(w -> warnings.add(w.asText()));
      body.path("infos").forEach(i -> infos.add(i.asText()));
      return new ConformanceRunner.Answer(toValue(body.path("data"), timeMs), warnings, infos);
    }

    private static String seconds(long ms) {
      return new java.math.BigDecimal(ms).movePointLeft(3).toPlainString();
    }

    private static String q(String s) {
      return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private JsonNode get(String pathAndQuery) {
      try {
        Http.Response response = Http.get(api + pathAndQuery);
        JsonNode body = response.json();
        if (response.status() == 400) {
          throw new ParseException(body.path("error").asText());
        }
        if (response.status() != 200) {
          throw new EvalException(body.path("error").asText());
        }
        return body;
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    private static Labels labels(JsonNode metric) {
      Map<String, String> labels = new TreeMap<>();
      metric.fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
      labels.remove("cluster"); // added on the way in; the scripts' series have none
      return Labels.of(labels);
    }

    private static double number(String text) {
      return switch (text) {
        case "NaN" -> Double.NaN;
        case "+Inf" -> Double.POSITIVE_INFINITY;
        case "-Inf" -> Double.NEGATIVE_INFINITY;
        default -> Double.parseDouble(text);
      };
    }

    private static long millis(JsonNode seconds) {
      return new java.math.BigDecimal(seconds.asText()).movePointRight(3).longValue();
    }

    private static Value toValue(JsonNode data, long timeMs) {
      JsonNode result = data.path("result");
      return switch (data.path("resultType").asText()) {
        case "scalar" -> new Value.Scalar(millis(result.get(0)), number(result.get(1).asText()));
        case "string" -> new Value.Text(millis(result.get(0)), result.get(1).asText());
        case "vector" -> {
          List<Value.Sample> samples = new ArrayList<>();
          result.forEach(s -> samples.add(new Value.Sample(labels(s.path("metric")), millis(s.path("value").get(0)),
              number(s.path("value").get(1).asText()))));
          yield new Value.Vector(samples);
        }
        default -> {
          List<Value.Series> series = new ArrayList<>();
          result.forEach(s -> {
            JsonNode values = s.path("values");
            long[] ts = new long[values.size()];
            double[] vs = new double[values.size()];
            for (int k = 0; k < ts.length; k++) {
              ts[k] = millis(values.get(k).get(0));
              vs[k] = number(values.get(k).get(1).asText());
            }
            series.add(new Value.Series(labels(s.path("metric")), ts, vs));
          });
          yield new Value.Matrix(series);
        }
      };
    }
  }
}
