package io.fleetlens.promql.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.fleetlens.core.metrics.InMemorySeriesStore;
import io.fleetlens.core.metrics.Labels;
import io.fleetlens.core.metrics.StaleNaN;
import io.fleetlens.promql.parse.Parser;

/**
 * A range query evaluates range functions of selectors at every step at once (SteppedRange), and
 * aggregations of them too (SteppedAggregation); its answer must be, bit for bit, what instant
 * queries at each step give (evaluated call by call).
 */
class SteppedRangeTest {

  private static final long START = 1_000_000_000L;

  @Test
  void everyStepEqualsTheInstantQueryAtThatStep() {
    InMemorySeriesStore store = new InMemorySeriesStore();
    Random random = new Random(7);
    for (int s = 0; s < 30; s++) {
      Labels labels = Labels.of(Map.of("__name__", s % 2 == 0 ? "x_total" : "x", "i", "s" + s, "g", "g" + s % 3));
      double v = random.nextInt(100);
      long t = START - 3_600_000 + random.nextInt(30_000);
      while (t < START + 3_600_000) {
        int kind = random.nextInt(40);
        if (kind == 0) {
          v = random.nextInt(10); // a counter reset
        } else if (kind == 1) {
          t += 10 * 60_000; // a gap longer than the ranges
        } else {
          v += random.nextInt(20);
        }
        double stored = kind == 2 ? StaleNaN.VALUE : kind == 3 ? Double.NaN : v;
        store.add(labels, t, stored);
        t += 5_000 + random.nextInt(40_000);
      }
    }
    Engine engine = new Engine(store, Engine.Options.defaults());
    List<String> queries = new ArrayList<>();
    for (String f : List.of("rate", "increase", "delta", "irate", "idelta", "count_over_time", "sum_over_time",
        "avg_over_time", "min_over_time", "max_over_time", "last_over_time", "present_over_time", "changes",
        "resets")) {
      queries.add(f + "({__name__=~\"x.*\"}[5m])");
      queries.add(f + "({__name__=~\"x.*\"}[90s] offset 2m)");
    }
    queries.add("sum by (__name__) (rate(x_total[5m]))");
    queries.add("topk(3, rate(x_total[2m]))");
    for (String op : List.of("sum", "avg", "count", "group", "min", "max", "stddev", "stdvar")) {
      queries.add(op + "(rate(x_total[5m]))");
      queries.add(op + " by (g) (rate({__name__=~\"x.*\"}[5m]))");
      queries.add(op + " without (i) (changes(x[3m]))");
    }
    for (String k : List.of("0", "1", "2", "(4)", "100")) { // ties: counts and changes are small whole numbers
      queries.add("topk(" + k + ", rate({__name__=~\"x.*\"}[5m]))");
      queries.add("bottomk(" + k + ", count_over_time(x[3m]))");
      queries.add("topk by (g) (" + k + ", changes({__name__=~\"x.*\"}[4m]))");
    }
    queries.add("rate(x_total[5m]) / ignoring(i, g) group_left sum(rate(x_total[5m]))");
    for (String q : queries) {
      for (long step : new long[] {15_000, 60_000, 7_000}) {
        Engine.Result range = engine.queryRange(Parser.parseQuery(q), START, START + 1_800_000, step);
        Map<Labels, Value.Series> bySeries = new java.util.HashMap<>();
        for (Value.Series s : ((Value.Matrix) range.value()).series()) {
          bySeries.put(s.labels(), s);
        }
        int points = 0;
        for (long t = START; t <= START + 1_800_000; t += step) {
          Value.Vector instant = (Value.Vector) engine.instant(q, t);
          for (Value.Sample expected : instant.samples()) {
            Value.Series s = bySeries.get(expected.labels());
            assertThat(s).as("%s at %d: %s", q, t, expected.labels()).isNotNull();
            int k = java.util.Arrays.binarySearch(s.times(), t);
            assertThat(k).as("%s at %d: %s", q, t, expected.labels()).isGreaterThanOrEqualTo(0);
            assertThat(Double.doubleToRawLongBits(s.values()[k])).as("%s at %d", q, t)
                .isEqualTo(Double.doubleToRawLongBits(expected.value()));
            points++;
          }
        }
        int total = bySeries.values().stream().mapToInt(s -> s.times().length).sum();
        assertThat(total).as(q).isEqualTo(points);
        if (!q.contains("(0,")) { // topk(0, ...) answers nothing
          assertThat(points).as(q).isPositive();
        }
      }
    }
  }

  @Test
  void seriesThatDifferOnlyByNameFailAtAStepBothHaveValues() {
    InMemorySeriesStore store = new InMemorySeriesStore();
    for (long t = START - 600_000; t <= START; t += 15_000) {
      store.add(Labels.of(Map.of("__name__", "a_total", "i", "1")), t, t / 1000.0);
      if (t >= START - 120_000) {
        store.add(Labels.of(Map.of("__name__", "b_total", "i", "1")), t, t / 1000.0);
      }
    }
    Engine engine = new Engine(store, Engine.Options.defaults());
    // before b_total begins: one series, no error
    assertThat(((Value.Matrix) engine.queryRange(Parser.parseQuery("rate({i=\"1\"}[1m])"), START - 600_000,
        START - 240_000, 60_000).value()).series()).hasSize(1);
    assertThatThrownBy(() -> engine.queryRange(Parser.parseQuery("rate({i=\"1\"}[1m])"), START - 600_000, START,
        60_000)).hasMessageContaining("same labelset");
    assertThatThrownBy(() -> engine.instant("rate({i=\"1\"}[1m])", START)).hasMessageContaining("same labelset");
  }
}
