package io.fleetlens.alerting.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fleetlens.alerting.rules.RuleGroup;
import io.fleetlens.alerting.rules.RuleGroupParser;
import io.fleetlens.core.access.Scope;
import io.fleetlens.core.metrics.Labels;
import io.fleetlens.core.metrics.Sample;
import io.fleetlens.core.metrics.StaleNaN;
import io.fleetlens.core.metrics.InMemorySeriesStore;
import io.fleetlens.promql.eval.Engine;

class GroupEvaluatorTest {

  private static final long MIN = 60_000;

  private final InMemorySeriesStore series = new InMemorySeriesStore();
  private final GroupEvaluator evaluator = new GroupEvaluator(scope -> new Engine(series, Engine.Options.defaults()),
      (scope, filters, from, to) -> filters.get("q").equals("boom") ? 7 : 0, Map.of("region", "eu"), "http://fl", 15 * MIN);
  private final RuleGroup group = new RuleGroupParser(MIN, f -> null).parseGroup("""
      name: api
      labels: {team: shop}
      rules:
        - record: job:errors:sum
          expr: sum by (job) (errors)
        - alert: Errors
          expr: job:errors:sum > 5
          for: 1m
          labels: {severity: "{{ if_not_used }}page"}
          annotations: {summary: "{{ $labels.job }} has {{ $value }} errors in {{ $externalLabels.region }}"}
        - alert: LogBoom
          logs: {q: boom}
          threshold: 5
          window: 5m
      """.replace("{{ if_not_used }}", ""));

  private static java.util.SortedMap<String, String> sorted(String... pairs) {
    java.util.SortedMap<String, String> m = new java.util.TreeMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return m;
  }

  /** What the evaluator writes becomes readable at once, as in Prometheus' TSDB. */
  private void store(List<Sample> written) {
    for (Sample s : written) {
      java.util.Map<String, String> all = new java.util.TreeMap<>(s.labels());
      all.put("__name__", s.name());
      series.add(Labels.of(all), s.timestampMillis(), s.value());
    }
  }

  @Test
  void anAlertReadsWhatTheRecordingRuleBeforeItWroteAndAlertSeriesAreWritten() {
    series.add(Labels.of("__name__", "errors", "job", "api", "pod", "a"), 0, 4);
    series.add(Labels.of("__name__", "errors", "job", "api", "pod", "b"), 0, 3);
    GroupEvaluator.Outcome first = evaluator.evaluate(group, Scope.ALL, GroupState.NEW, 0, this::store);
    assertThat(first.samples()).contains(new Sample("job:errors:sum", sorted("job", "api", "team", "shop"), 0, 7));
    ActiveAlert errors = first.state().alerts().get("Errors{severity=page}").getFirst();
    assertThat(errors.state()).isEqualTo(AlertState.PENDING);
    assertThat(errors.labels()).isEqualTo(Map.of("alertname", "Errors", "job", "api", "team", "shop",
        "severity", "page"));
    assertThat(errors.annotations()).containsEntry("summary", "api has 7 errors in eu");
    assertThat(first.samples()).contains(new Sample("ALERTS", sorted("alertname", "Errors", "alertstate", "pending",
        "job", "api", "team", "shop", "severity", "page"), 0, 1));
    assertThat(first.samples()).contains(new Sample("ALERTS_FOR_STATE", sorted("alertname", "Errors", "job", "api",
        "team", "shop", "severity", "page"), 0, 0));
    ActiveAlert boom = first.state().alerts().get("LogBoom{}").getFirst();
    assertThat(boom.state()).as("no for: fires at once").isEqualTo(AlertState.FIRING);
    assertThat(boom.value()).isEqualTo(7);
    assertThat(first.state().health().values()).allMatch(h -> h.health().equals("ok"));

    series.add(Labels.of("__name__", "errors", "job", "api", "pod", "a"), MIN, 4);
    series.add(Labels.of("__name__", "errors", "job", "api", "pod", "b"), MIN, 3);
    GroupEvaluator.Outcome second = evaluator.evaluate(group, Scope.ALL, first.state(), MIN, this::store);
    assertThat(second.state().alerts().get("Errors{severity=page}").getFirst().state()).isEqualTo(AlertState.FIRING);
    List<Sample> stale = second.samples().stream().filter(s -> StaleNaN.is(s.value())).toList();
    assertThat(stale).as("the pending ALERTS series ends with a stale marker").singleElement()
        .satisfies(s -> assertThat(s.labels()).containsEntry("alertstate", "pending"));
  }

  @Test
  void aFailingRuleKeepsItsAlertsAndReportsItsErrorWhileTheOthersRun() {
    RuleGroup bad = new RuleGroupParser(MIN, f -> null).parseGroup("""
        name: bad
        rules:
          - alert: Dup
            expr: label_replace(up, "pod", "", "pod", ".*")
          - record: ok:sum
            expr: sum(up)
        """);
    series.add(Labels.of("__name__", "up", "pod", "a"), 0, 1);
    series.add(Labels.of("__name__", "up", "pod", "b"), 0, 1);
    GroupEvaluator.Outcome out = evaluator.evaluate(bad, Scope.ALL, GroupState.NEW, 0, samples -> { });
    assertThat(out.state().health().get("Dup{}").health()).isEqualTo("err");
    assertThat(out.state().health().get("Dup{}").lastError()).contains("same labelset");
    assertThat(out.samples()).contains(new Sample("ok:sum", sorted(), 0, 2));
  }

  @Test
  void aRuleGivingMoreSeriesThanTheGroupLimitFails() {
    RuleGroup limited = new RuleGroupParser(MIN, f -> null).parseGroup("""
        name: limited
        limit: 1
        rules:
          - record: up:copy
            expr: up
          - record: up:sum
            expr: sum(up)
        """);
    series.add(Labels.of("__name__", "up", "pod", "a"), 0, 1);
    series.add(Labels.of("__name__", "up", "pod", "b"), 0, 1);
    GroupEvaluator.Outcome out = evaluator.evaluate(limited, Scope.ALL, GroupState.NEW, 0, samples -> { });
    assertThat(out.state().health().get("up:copy{}").lastError()).isEqualTo("exceeded limit of 1 with 2 series");
    assertThat(out.samples()).containsExactly(new Sample("up:sum", sorted(), 0, 2));
  }

  @Test
  void aGroupReadsAsItsOwnerAndWritesOnlyIntoItsOwnersTenants() {
    Scope teamA = new Scope(List.of(new Scope.Part("a-.*", ".*")));
    List<Scope> asked = new java.util.ArrayList<>();
    GroupEvaluator scoped = new GroupEvaluator(scope -> {
      asked.add(scope);
      return new Engine(series, Engine.Options.defaults());
    }, (scope, filters, from, to) -> {
      asked.add(scope);
      return 0;
    }, Map.of(), "http://fl", 15 * MIN);
    RuleGroup copies = new RuleGroupParser(MIN, f -> null).parseGroup("""
        name: copies
        rules:
          - record: up:copy
            expr: up
          - alert: Quiet
            logs: {q: boom}
            threshold: 5
            window: 5m
        """);
    series.add(Labels.of("__name__", "up", "cluster", "a-prod"), 0, 1);
    series.add(Labels.of("__name__", "up", "cluster", "b-prod"), 0, 1);
    List<Sample> written = new java.util.ArrayList<>();
    GroupEvaluator.Outcome out = scoped.evaluate(copies, teamA, GroupState.NEW, 0, written::addAll);
    assertThat(asked).containsOnly(teamA).hasSize(2);
    assertThat(written).containsExactly(new Sample("up:copy", sorted("cluster", "a-prod"), 0, 1));
    assertThat(out.state().health().get("up:copy{}").lastError())
        .startsWith("1 series not written: their cluster and namespace labels are outside");
  }
}
