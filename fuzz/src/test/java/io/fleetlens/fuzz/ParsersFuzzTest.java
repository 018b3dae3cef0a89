package io.fleetlens.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import io.airlift.compress.snappy.SnappyCompressor;
import io.airlift.compress.snappy.SnappyDecompressor;
import io.fleetlens.aggregator.remotewrite.RemoteWriteRequest;
import io.fleetlens.alerting.rules.InvalidRuleException;
import io.fleetlens.alerting.rules.RuleGroupParser;
import io.fleetlens.collector.files.Line;
import io.fleetlens.collector.format.CriFormat;
import io.fleetlens.collector.format.DockerJsonFormat;
import io.fleetlens.core.metrics.Labels;
import io.fleetlens.core.metrics.Sample;
import io.fleetlens.core.metrics.exposition.PrometheusText;
import io.fleetlens.core.metrics.InMemorySeriesStore;
import io.fleetlens.promql.eval.Engine;
import io.fleetlens.promql.eval.EvalException;
import io.fleetlens.promql.parse.Expr;
import io.fleetlens.promql.parse.ParseException;
import io.fleetlens.promql.parse.ParsedQuery;
import io.fleetlens.promql.parse.Parser;
import io.fleetlens.query.QueryApiConfig;
import io.fleetlens.query.QueryApiMain;
import io.fleetlens.testkit.RemoteWriteBodies;

/**
 * Every parser of outside input, fuzzed from valid seeds with a fixed seed and a time budget
 * ({@code -Dfleetlens.fuzz.seconds}, 3 s each by default): no crash (only the parser's own
 * refusals), no hang, no unbounded allocation.
 */
class ParsersFuzzTest {

  private static final Fuzzer.Budget BUDGET = Fuzzer.Budget.ci();

  private static void report(Fuzzer.Report r) {
    System.out.printf("fuzz %-22s %7d inputs, %6d refused%n", r.name(), r.inputs(), r.refused());
    assertThat(r.inputs()).isGreaterThan(r.name().startsWith("query parameters") ? 50 : 1000);
  }

  @Test
  void criLines() throws Exception {
    CriFormat cri = new CriFormat();
    report(Fuzzer.run("cri lines", Fuzzer.utf8(
        "2026-11-30T03:11:14.123456789Z stdout F hello world",
        "2026-11-30T03:11:14Z stderr P part of a line",
        "2026-11-30T03:11:14.1+02:00 stdout F:x {\"level\":\"error\"}",
        "2026-11-30T03:11:14.123Z stdout F "), BUDGET,
        in -> cri.parse(new Line(in, 0, in.length, false)), Set.of()));
  }

  @Test
  void dockerJsonLines() throws Exception {
    DockerJsonFormat docker = new DockerJsonFormat();
    report(Fuzzer.run("docker json lines", Fuzzer.utf8(
        "{\"log\":\"hello\\n\",\"stream\":\"stdout\",\"time\":\"2026-11-30T03:11:14.123456789Z\"}",
        "{\"log\":\"part\",\"stream\":\"stderr\",\"time\":\"2026-11-30T03:11:14Z\"}",
        "{\"log\":\"\\u00e9\\t\\\"q\\\"\\n\",\"stream\":\"stdout\",\"time\":\"2026-11-30T03:11:14.1Z\",\"attrs\":{}}"),
        BUDGET, in -> docker.parse(new Line(in, 0, in.length, false)), Set.of()));
  }

  @Test
  void prometheusTextAndOpenMetrics() throws Exception {
    List<byte[]> seeds = Fuzzer.utf8("""
        # HELP http_requests_total The total.
        # TYPE http_requests_total counter
        http_requests_total{method="post",code="200"} 1027 1395066363000
        http_requests_total{method="post",code="400"}    3 1395066363000
        metric_without_timestamp_and_labels 12.47
        something_weird{problem="division by zero"} +Inf -3982045
        # TYPE rpc histogram
        rpc_bucket{le="0.05"} 24054
        rpc_bucket{le="+Inf"} 144320
        rpc_sum 53423
        rpc_count 144320
        """, """
        # TYPE foo counter
        # UNIT foo seconds
        foo_total 17.0 1520879607.789 # {id="counter-test"} 5
        foo_created 1520872607.123
        # EOF
        """);
    report(Fuzzer.run("prometheus text", seeds, BUDGET, in -> {
      String text = new String(in, StandardCharsets.UTF_8);
      PrometheusText.parse(text, 1_700_000_000_000L, false);
      PrometheusText.parse(text, 1_700_000_000_000L, true);
    }, Set.of()));
  }

  @Test
  void remoteWriteBodies() throws Exception {
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      samples.add(new Sample("http_requests_total", new TreeMap<>(Map.of("job", "api", "instance", "10.0.0." + i,
          "cluster", "east")), 1_700_000_000_000L + i * 15_000, i * 1.5));
    }
    byte[] snappy = RemoteWriteBodies.of(samples);
    byte[] proto = new byte[SnappyDecompressor.getUncompressedLength(snappy, 0)];
    new SnappyDecompressor().decompress(snappy, 0, snappy.length, proto, 0, proto.length);
    report(Fuzzer.run("remote_write snappy", List.of(snappy), BUDGET, RemoteWriteRequest::decode,
        Set.of(RemoteWriteRequest.InvalidException.class)));
    report(Fuzzer.run("remote_write protobuf", List.of(proto), BUDGET, in -> {
      SnappyCompressor compressor = new SnappyCompressor();
      byte[] out = new byte[compressor.maxCompressedLength(in.length)];
      int n = compressor.compress(in, 0, in.length, out, 0, out.length);
      RemoteWriteRequest.decode(java.util.Arrays.copyOf(out, n));
    }, Set.of(RemoteWriteRequest.InvalidException.class)));
  }

  @Test
  void promqlParsedAndEvaluated() throws Exception {
    InMemorySeriesStore store = new InMemorySeriesStore();
    for (int i = 0; i < 60; i++) {
      store.add(Labels.of("__name__", "http_requests_total", "job", "api", "code", i % 3 == 0 ? "500" : "200"),
          i * 15_000L, i * 10);
      store.add(Labels.of("__name__", "latency_bucket", "le", i % 2 == 0 ? "0.1" : "+Inf"), i * 15_000L, i);
    }
    Engine engine = new Engine(store, new Engine.Options(300_000, 1_000_000, Duration.ofSeconds(2), 60_000));
    List<byte[]> seeds = Fuzzer.utf8("sum by (job) (rate(http_requests_total{code=~\"5..\"}[5m]))",
        "histogram_quantile(0.9, sum by (le) (rate(latency_bucket[5m])))",
        "max_over_time(deriv(http_requests_total[2m])[10m:1m] offset 1m)",
        "label_replace(up, \"x\", \"$1\", \"job\", \"(.*)\") or on() vector(1) > bool 0",
        "topk(3, count_values(\"v\", http_requests_total)) @ 600 / ignoring(code) group_left sum(up)",
        "-(1 + 2 * 3 ^ 2 % 5) and absent(nothing{a!~\"b|c\"})");
    report(Fuzzer.run("promql", seeds, BUDGET, in -> {
      ParsedQuery q = Parser.parseQuery(new String(in, StandardCharsets.UTF_8));
      engine.query(q, 600_000);
      if (q.expr().type() == Expr.Type.VECTOR || q.expr().type() == Expr.Type.SCALAR) {
        engine.queryRange(q, 0, 900_000, 60_000);
      }
    }, Set.of(ParseException.class, EvalException.class)));
  }

  @Test
  void ruleGroupYaml() throws Exception {
    RuleGroupParser parser = new RuleGroupParser(60_000, f -> f.containsKey("bad") ? "bad filter" : null);
    List<byte[]> seeds = Fuzzer.utf8("""
        groups:
          - name: api
            interval: 30s
            labels: {team: shop}
            rules:
              - record: job:errors:rate5m
                expr: sum by (job) (rate(errors_total[5m]))
              - alert: HighErrors
                expr: job:errors:rate5m > 1
                for: 5m
                keep_firing_for: 1m
                labels: {severity: page}
                annotations: {summary: "{{ $labels.job }} {{ $value | humanize }} {{ printf \\"%.2f\\" $value }}"}
              - alert: Logs
                logs: {namespace: shop, q: timeout}
                threshold: 5
                window: 5m
        """, """
        {"name": "g", "rules": [{"alert": "A", "expr": "up == 0", "annotations": {"s": "{{ .Labels.x }}"}}]}
        """, "a: &a [1,2]\nb: &b [*a,*a,*a]\nc: [*b,*b,*b]\n");
    report(Fuzzer.run("rule yaml", seeds, BUDGET, in -> {
      String text = new String(in, StandardCharsets.UTF_8);
      if (text.contains("groups")) {
        parser.parseFile(text);
      } else {
        parser.parseGroup(text);
      }
    }, Set.of(InvalidRuleException.class)));
  }

  @Test
  void queryParametersOverHttp() throws Exception {
    try (QueryApiMain api = new QueryApiMain(new QueryApiConfig(
        new QueryApiConfig.Elasticsearch(List.of("http://127.0.0.1:9"), "fuzz"),
        new QueryApiConfig.Promql(1_000_000, 1_000, 2_000, 300_000), new QueryApiConfig.Http("127.0.0.1", 0),
        QueryApiConfig.Database.inMemory("fuzz"), QueryApiConfig.Alerting.defaults().off(),
        QueryApiConfig.Auth.off(), QueryApiConfig.Limits.defaults()))) {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      String base = "http://127.0.0.1:" + api.httpPort();
      String[] paths = {"/api/v1/logs", "/api/v1/query", "/api/v1/query_range", "/api/v1/series", "/api/v1/labels",
          "/api/v1/golden-signals", "/api/v1/allocation", "/api/v1/showback", "/api/v1/alerting/notifications"};
      List<byte[]> seeds = Fuzzer.utf8(
          "q=error&namespace=shop&level=error&start=2026-11-30T00:00:00Z&end=2026-11-30T01:00:00Z&limit=10",
          "query=sum(rate(x[5m]))&time=1700000000.5", "query=up&start=1&end=100&step=15",
          "match[]={job=\"x\"}&start=1&end=2&limit=5", "window=1h&aggregate=namespace,label:team&includeIdle=true",
          "cluster=c&namespace=n&workload=w&window=5m", "month=2026-11&by=label:team&format=csv", "status=failed&limit=7");
      report(Fuzzer.run("query parameters http", seeds, new Fuzzer.Budget(BUDGET.seed(), BUDGET.time(), 2048,
          Duration.ofSeconds(10), BUDGET.maxAllocatedPerInput() * 4), in -> {
            String path = paths[Math.floorMod(java.util.Arrays.hashCode(in), paths.length)];
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path + "?" + encode(in)))
                .timeout(Duration.ofSeconds(8)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path + "?" + encode(in) + " -> " + r.body())
                .isNotIn(500, 502, 504).isBetween(200, 599);
          }, Set.of()));
    }
  }

  /** The fuzzed bytes as a query string: unreserved characters, & and = as they are, the rest percent-encoded. */
  private static String encode(byte[] in) {
    StringBuilder s = new StringBuilder();
    for (byte b : in) {
      int c = b & 0xff;
      if (Character.isLetterOrDigit(c) && c < 128 || "-._~&=".indexOf(c) >= 0) {
        s.append((char) c);
      } else {
        s.append('%').append(String.format("%02X", c));
      }
    }
    return s.toString();
  }
}
