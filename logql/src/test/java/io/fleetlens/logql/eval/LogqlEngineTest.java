package io.fleetlens.logql.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fleetlens.core.metrics.Labels;
import io.fleetlens.logql.eval.LogSource.Direction;
import io.fleetlens.logql.parse.Expr;
import io.fleetlens.logql.parse.Parser;
import io.fleetlens.promql.eval.Value;

class LogqlEngineTest {

  private static final long S = 1_000_000_000L;
  private static final long T0 = 1_795_435_200L * S; // 2026-11-23T08:00:00Z

  private final InMemoryLogSource source = new InMemoryLogSource();
  private final LogqlEngine engine = new LogqlEngine(source, LogqlEngine.Options.defaults());

  private static final Labels CART = Labels.of("namespace", "shop", "pod", "cart-1", "container", "app", "level",
      "info");
  private static final Labels WEB = Labels.of("namespace", "shop", "pod", "web-1", "container", "nginx", "level",
      "info");
  private static final Labels PAY = Labels.of("namespace", "payments", "pod", "api-1", "container", "server",
      "level", "error");

  @BeforeEach
  void lines() {
    // one line a second for 60 s from each of three pods
    for (int i = 0; i < 60; i++) {
      long t = T0 + i * S;
      source.add(new LogEntry(t, "{\"status\":" + (i % 10 == 0 ? 500 : 200) + ",\"latency\":\"" + (i * 10)
          + "ms\",\"req\":{\"path\":\"/api/cart\"}}", CART, Map.of()));
      source.add(new LogEntry(t, "10.0.0." + i + " - - [x] \"GET /p" + (i % 3) + " HTTP/1.1\" " + (i % 4 == 0 ? 404 : 200)
          + " " + (100 + i), WEB, Map.of()));
      source.add(new LogEntry(t, "level=error msg=\"checkout failed\" order=" + i + " took=" + i + "ms", PAY,
          Map.of("trace_id", "t" + i)));
    }
  }

  private LogqlEngine.Streams logs(String q, int limit, Direction direction) {
    return engine.logs((Expr.LogQuery) Parser.parse(q), T0, T0 + 60 * S, limit, direction);
  }

  private Value.Vector instant(String q, long t) {
    return (Value.Vector) engine.instant((Expr.MetricQuery) Parser.parse(q), t).value();
  }

  private Value.Matrix range(String q, long start, long end, long step) {
    return (Value.Matrix) engine.range((Expr.MetricQuery) Parser.parse(q), start, end, step).value();
  }

  @Test
  void aLogQueryGivesTheNewestLinesOfEachStreamFirstWithinTheLimit() {
    LogqlEngine.Streams out = logs("{namespace=\"shop\"}", 10, Direction.BACKWARD);
    assertThat(out.streams()).hasSize(2);
    int lines = out.streams().stream().mapToInt(s -> s.entries().size()).sum();
    assertThat(lines).isEqualTo(10);
    assertThat(out.streams().get(0).entries().get(0).timestampNanos()).isEqualTo(T0 + 59 * S);
  }

  @Test
  void lineFiltersParsersAndLabelFiltersRunInOrder() {
    LogqlEngine.Streams out = logs("{pod=\"cart-1\"} |= \"status\" | json | status >= 500 | req_path=\"/api/cart\"",
        100, Direction.FORWARD);
    assertThat(out.streams()).hasSize(6); // the latency label differs per line
    assertThat(out.streams()).allSatisfy(s -> assertThat(s.labels()).containsEntry("status", "500")
        .containsEntry("req_path", "/api/cart").containsEntry("pod", "cart-1"));
  }

  @Test
  void logfmtAndDurationFiltersAndLineFormat() {
    LogqlEngine.Streams out = logs("{namespace=\"payments\"} | logfmt | took > 50ms | line_format \"{{.order}}:{{.msg | ToUpper}}\"",
        100, Direction.FORWARD);
    assertThat(out.streams()).hasSize(9); // order and took differ per line: one stream each
    assertThat(out.streams().get(0).entries().get(0).line()).isEqualTo("51:CHECKOUT FAILED");
  }

  @Test
  void patternParserAndDropKeep() {
    LogqlEngine.Streams out = logs("{pod=\"web-1\"} | pattern \"<ip> - - <_> \\\"<method> <path> <_>\\\" <status> <size>\""
        + " | status = 404 | keep pod, status, path", 100, Direction.FORWARD);
    assertThat(out.streams()).allSatisfy(s -> assertThat(s.labels().keySet()).containsExactlyInAnyOrder("pod",
        "status", "path"));
    assertThat(out.streams().stream().mapToInt(s -> s.entries().size()).sum()).isEqualTo(15);
  }

  @Test
  void parseErrorsLabelTheLineAndCanBeFilteredOut() {
    LogqlEngine.Streams out = logs("{namespace=\"shop\"} | json | __error__=\"JSONParserErr\"", 1000, Direction.FORWARD);
    assertThat(out.streams()).isNotEmpty().allSatisfy(s -> assertThat(s.labels()).containsEntry("pod", "web-1")
        .containsKey("__error_details__"));
    assertThat(logs("{namespace=\"shop\"} | json | __error__=\"\"", 1000, Direction.FORWARD).streams())
        .allSatisfy(s -> assertThat(s.labels()).containsEntry("pod", "cart-1"));
  }

  @Test
  void structuredMetadataIsUsableAsALabel() {
    LogqlEngine.Streams out = logs("{namespace=\"payments\"} | trace_id=\"t7\"", 100, Direction.FORWARD);
    assertThat(out.streams()).singleElement().satisfies(s -> assertThat(s.entries()).hasSize(1));
  }

  @Test
  void countOverTimeAndRateCountLinesInEachWindow() {
    Value.Vector counts = instant("sum by (namespace) (count_over_time({level=~\".+\"}[10s]))", T0 + 30 * S);
    assertThat(counts.samples()).extracting(s -> s.labels().get("namespace"), Value.Sample::value)
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("payments", 10.0),
            org.assertj.core.groups.Tuple.tuple("shop", 20.0));
    Value.Vector rate = instant("rate({pod=\"cart-1\"}[10s])", T0 + 30 * S);
    assertThat(rate.samples()).singleElement().satisfies(s -> assertThat(s.value()).isEqualTo(1.0));
  }

  @Test
  void aRangeQueryHasAValuePerStepAndNoneWhereTheWindowIsEmpty() {
    Value.Matrix m = range("count_over_time({pod=\"cart-1\"}[5s])", T0, T0 + 120 * S, 30 * S);
    assertThat(m.series()).singleElement().satisfies(s -> {
      assertThat(s.values()).containsExactly(1, 5, 4); // windows (t-5s, t]: T0 has the first line; none after T0+59
      assertThat(s.labels().has("__name__")).isFalse();
    });
  }

  @Test
  void unwrapAggregatesALabelsValueWithDurationConversionAndGrouping() {
    Value.Vector max = instant("max_over_time({pod=\"cart-1\"} | json | unwrap duration(latency) [60s]) by (pod)",
        T0 + 59 * S);
    assertThat(max.samples()).singleElement().satisfies(s -> {
      assertThat(s.value()).isEqualTo(0.59);
      assertThat(s.labels()).isEqualTo(Labels.of("pod", "cart-1"));
    });
    Value.Vector q = instant("quantile_over_time(0.5, {namespace=\"payments\"} | logfmt | unwrap order [60s]) by (namespace)",
        T0 + 59 * S);
    assertThat(q.samples()).singleElement().satisfies(s -> assertThat(s.value()).isEqualTo(29.5));
  }

  @Test
  void aMetricResultWithPipelineErrorsIsRefusedUnlessTheyAreFilteredOut() {
    assertThatThrownBy(() -> instant("sum(count_over_time({namespace=\"shop\"} | json [60s]))", T0 + 59 * S))
        .isInstanceOf(LogqlException.class).hasMessageContaining("pipeline error: 'JSONParserErr'");
    assertThat(instant("sum(count_over_time({namespace=\"shop\"} | json | __error__=\"\" [60s]))", T0 + 59 * S)
        .samples()).singleElement().satisfies(s -> assertThat(s.value()).isEqualTo(60));
  }

  @Test
  void binaryOperatorsTopkAndVectorWorkAsInPromql() {
    Value.Vector ratio = instant("sum(count_over_time({pod=\"cart-1\"} | json | status >= 500 [60s]))"
        + " / sum(count_over_time({pod=\"cart-1\"}[60s]))", T0 + 59 * S);
    assertThat(ratio.samples()).singleElement().satisfies(s -> assertThat(s.value()).isEqualTo(0.1));
    Value.Vector top = instant("topk(1, sum by (pod) (count_over_time({namespace=\"shop\"} |= \"GET\" [60s])))",
        T0 + 59 * S);
    assertThat(top.samples()).singleElement().satisfies(s -> assertThat(s.labels().get("pod")).isEqualTo("web-1"));
    Value.Vector fallback = instant("sum(count_over_time({pod=\"nothing\"}[60s])) or vector(0)", T0 + 59 * S);
    assertThat(fallback.samples()).singleElement().satisfies(s -> assertThat(s.value()).isZero());
    Value.Vector compared = instant("count_over_time({pod=\"cart-1\"}[10s]) > bool 5", T0 + 30 * S);
    assertThat(compared.samples()).singleElement().satisfies(s -> assertThat(s.value()).isEqualTo(1));
  }

  @Test
  void absentOverTimeIsOneWithTheSelectorsEqualityLabelsWhenNothingMatches() {
    Value.Vector absent = instant("absent_over_time({namespace=\"shop\", pod=\"gone\"}[1m])", T0 + 30 * S);
    assertThat(absent.samples()).singleElement().satisfies(s -> {
      assertThat(s.value()).isEqualTo(1);
      assertThat(s.labels()).isEqualTo(Labels.of("namespace", "shop", "pod", "gone"));
    });
    assertThat(instant("absent_over_time({pod=\"cart-1\"}[1m])", T0 + 30 * S).samples()).isEmpty();
  }

  @Test
  void bytesOverTimeSumsTheLinesBytes() {
    Value.Vector bytes = instant("bytes_over_time({pod=\"web-1\"} |= \"10.0.0.0 \" [1s])", T0 + S / 2);
    assertThat(bytes.samples()).singleElement().satisfies(s -> assertThat(s.value())
        .isEqualTo("10.0.0.0 - - [x] \"GET /p0 HTTP/1.1\" 404 100".length()));
  }

  @Test
  void tooManyLinesIsRefusedNamingTheLimit() {
    LogqlEngine small = new LogqlEngine(source, new LogqlEngine.Options(100, 10, java.time.Duration.ofSeconds(5)));
    assertThatThrownBy(() -> small.instant((Expr.MetricQuery) Parser.parse("count_over_time({namespace=~\".+\"}"
        + " |= \"0\" [1m])"), T0 + 59 * S)).isInstanceOf(LogqlException.class)
        .hasMessageContaining("max entries limit");
  }

  @Test
  void aBareSelectorIsCountedByTheSourceWithoutReadingLinesButStillWithinTheSeriesLimit() {
    LogqlEngine small = new LogqlEngine(source, new LogqlEngine.Options(100, 10, java.time.Duration.ofSeconds(5)));
    assertThat(((Value.Vector) small.instant((Expr.MetricQuery) Parser.parse("sum(count_over_time("
        + "{namespace=~\".+\"}[1m]))"), T0 + 59 * S).value()).samples()).singleElement()
        .satisfies(s -> assertThat(s.value()).isPositive());
    LogqlEngine oneSeries = new LogqlEngine(source, new LogqlEngine.Options(100, 1, java.time.Duration.ofSeconds(5)));
    assertThatThrownBy(() -> oneSeries.instant((Expr.MetricQuery) Parser.parse("count_over_time({namespace=~\".+\"}"
        + "[1m])"), T0 + 59 * S)).isInstanceOf(LogqlException.class).hasMessageContaining("max series limit");
  }

  @Test
  void aLogQueryReadsInBatchesAcrossLinesOfTheSameTimeWithoutRepeatingOrSkippingAny() {
    InMemoryLogSource many = new InMemoryLogSource();
    Labels stream = Labels.of("namespace", "batch");
    for (int i = 0; i < 5_000; i++) {
      many.add(new LogEntry(T0 + (i / 500) * S, "n=" + i, stream, Map.of())); // 500 lines at each of 10 times
    }
    LogqlEngine batched = new LogqlEngine(many, LogqlEngine.Options.defaults());
    for (Direction direction : Direction.values()) {
      LogqlEngine.Streams out = batched.logs((Expr.LogQuery) Parser.parse("{namespace=\"batch\"} |~ \"7$\""), T0,
          T0 + 20 * S, 400, direction);
      List<String> lines = out.streams().get(0).entries().stream().map(LogqlEngine.Entry::line).toList();
      assertThat(lines).hasSize(400).doesNotHaveDuplicates().allMatch(l -> l.endsWith("7"));
      List<Long> times = out.streams().get(0).entries().stream().map(LogqlEngine.Entry::timestampNanos).toList();
      assertThat(times).isSortedAccordingTo(direction == Direction.FORWARD ? java.util.Comparator.naturalOrder()
          : java.util.Comparator.<Long>reverseOrder());
    }
    LogqlEngine.Streams all = batched.logs((Expr.LogQuery) Parser.parse("{namespace=\"batch\"} |~ \"7$\""), T0,
        T0 + 20 * S, 5_000, Direction.BACKWARD);
    assertThat(all.streams().get(0).entries()).hasSize(500);
  }

  @Test
  void exactLineFiltersArePushedToTheSource() {
    LogSource.Selection s = LogqlEngine.selection((Expr.LogQuery) Parser.parse(
        "{a=\"x\"} |= \"checkout\" != \"debug\" or \"trace\" |~ \"x\" |= \"later\" | json |= \"not pushed\""));
    assertThat(s.contains()).containsExactly("checkout", "later");
    assertThat(s.lacks()).containsExactly("debug", "trace");
    assertThat(List.of(s.matchers().get(0).name())).containsExactly("a");
  }
}
