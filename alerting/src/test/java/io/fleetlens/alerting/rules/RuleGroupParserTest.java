package io.fleetlens.alerting.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RuleGroupParserTest {

  private final RuleGroupParser parser = new RuleGroupParser(60_000,
      logs -> logs.containsKey("colour") ? "unknown parameter colour" : null);

  @Test
  void readsAPrometheusRuleFile() {
    List<RuleGroup> groups = parser.parseFile("""
        groups:
          - name: api
            interval: 30s
            labels: {team: shop}
            rules:
              - record: job:http_requests:rate5m
                expr: sum by (job) (rate(http_requests_total[5m]))
              - alert: HighErrorRate
                expr: job:http_requests:rate5m > 10
                for: 5m
                keep_firing_for: 2m
                labels: {severity: page}
                annotations:
                  summary: "{{ $labels.job }} serves {{ $value | humanize }} errors/s"
              - alert: PaymentTimeouts
                logs: {namespace: payments, q: timeout}
                threshold: 10
                window: 5m
          - name: other
            rules:
              - alert: Down
                expr: up == 0
        """);
    assertThat(groups).extracting(RuleGroup::name).containsExactly("api", "other");
    RuleGroup api = groups.getFirst();
    assertThat(api.intervalMs()).isEqualTo(30_000);
    assertThat(api.labels()).isEqualTo(Map.of("team", "shop"));
    assertThat(api.rules().get(0)).isInstanceOf(RecordingRule.class);
    AlertingRule high = (AlertingRule) api.rules().get(1);
    assertThat(high.forMs()).isEqualTo(300_000);
    assertThat(high.keepFiringForMs()).isEqualTo(120_000);
    LogAlertRule logs = (LogAlertRule) api.rules().get(2);
    assertThat(logs.threshold()).isEqualTo(10);
    assertThat(logs.windowMs()).isEqualTo(300_000);
    assertThat(groups.get(1).intervalMs()).as("the default interval").isEqualTo(60_000);
  }

  @Test
  void badPromqlIsRefusedNamingGroupRuleAndProblem() {
    assertThatThrownBy(() -> parser.parseGroup("""
        name: api
        rules:
          - alert: Broken
            expr: sum(rate(x[5m])
        """)).isInstanceOf(InvalidRuleException.class)
        .hasMessageStartingWith("group \"api\", rule \"Broken\": expr: ")
        .satisfies(e -> assertThat(((InvalidRuleException) e).rule()).isEqualTo("Broken"));
  }

  @Test
  void rangeVectorExpressionIsRefused() {
    assertThatThrownBy(() -> parser.parseGroup("name: g\nrules:\n  - record: a:b\n    expr: x[5m]\n"))
        .hasMessage("group \"g\", rule \"a:b\": expr: must be an instant vector or a scalar, not a range vector");
  }

  @Test
  void badDurationsAreRefused() {
    assertThatThrownBy(() -> parser.parseGroup("name: g\nrules:\n  - alert: A\n    expr: up\n    for: 5 minutes\n"))
        .hasMessage("group \"g\", rule \"A\": for: not a valid duration string: \"5 minutes\"");
    assertThatThrownBy(() -> parser.parseGroup("name: g\ninterval: soon\nrules:\n  - alert: A\n    expr: up\n"))
        .hasMessage("group \"g\": interval: not a valid duration string: \"soon\"");
    assertThatThrownBy(() -> parser.parseGroup(
        "name: g\nrules:\n  - alert: A\n    expr: up\n    keep_firing_for: 1x\n"))
        .hasMessageContaining("keep_firing_for: not a valid duration string");
  }

  @Test
  void badTemplatesAreRefused() {
    assertThatThrownBy(() -> parser.parseGroup("""
        name: g
        rules:
          - alert: A
            expr: up
            annotations:
              summary: "{{ $labels.job | humanise }}"
        """)).hasMessageStartingWith("group \"g\", rule \"A\": annotations.summary: template: function \"humanise\"");
    assertThatThrownBy(() -> parser.parseGroup("""
        name: g
        rules:
          - alert: A
            expr: up
            labels:
              owner: "{{ $labels.team "
        """)).hasMessageContaining("labels.owner: template: unclosed action");
    assertThatThrownBy(() -> parser.parseGroup("""
        name: g
        rules:
          - alert: A
            expr: up
            annotations:
              summary: "{{ $lables.job }}"
        """)).hasMessageContaining("undefined variable \"$lables\"");
  }

  @Test
  void duplicateNamesInAGroupAreRefused() {
    assertThatThrownBy(() -> parser.parseGroup("""
        name: g
        rules:
          - alert: A
            expr: up == 0
          - alert: A
            expr: up == 1
        """)).hasMessageStartingWith("group \"g\", rule \"A\": duplicate rule");
  }

  @Test
  void sameNameWithOtherLabelsIsTheSeverityTierPattern() {
    RuleGroup g = parser.parseGroup("""
        name: g
        rules:
          - alert: Latency
            expr: latency > 1
            labels: {severity: warning}
          - alert: Latency
            expr: latency > 5
            labels: {severity: page}
        """);
    assertThat(g.rules()).hasSize(2);
  }

  @Test
  void duplicateGroupNamesInAFileAreRefused() {
    assertThatThrownBy(() -> parser.parseFile("""
        groups:
          - name: g
            rules: [{alert: A, expr: up}]
          - name: g
            rules: [{alert: B, expr: up}]
        """)).hasMessage("group \"g\": groupname: \"g\" is repeated in the same file");
  }

  @Test
  void typosAndMisplacedFieldsAreRefused() {
    assertThatThrownBy(() -> parser.parseGroup("name: g\nrules:\n  - alert: A\n    expr: up\n    fro: 5m\n"))
        .hasMessage("group \"g\", rule \"A\": field fro not found in type rulefmt.Rule");
    assertThatThrownBy(() -> parser.parseGroup("name: g\nrules:\n  - record: a_b\n    expr: up\n    for: 5m\n"))
        .hasMessage("group \"g\", rule \"a_b\": invalid field 'for' in recording rule");
    assertThatThrownBy(() -> parser.parseGroup("name: g\nrules:\n  - record: not-a-metric\n    expr: up\n"))
        .hasMessage("group \"g\", rule \"not-a-metric\": invalid recording rule name: not-a-metric");
    assertThatThrownBy(() -> parser.parseGroup("name: g\nrules:\n  - alert: A\n    record: b\n    expr: up\n"))
        .hasMessageContaining("only one of 'record' and 'alert' must be set");
    assertThatThrownBy(() -> parser.parseGroup("name: g\nrules:\n  - alert: A\n    expr: up\n    labels: {9x: y}\n"))
        .hasMessage("group \"g\", rule \"A\": invalid label name: 9x");
    assertThatThrownBy(() -> parser.parseGroup("name: \"\"\nrules:\n  - alert: A\n    expr: up\n"))
        .hasMessage("groupname must not be empty");
    assertThatThrownBy(() -> parser.parseGroup("name: g\nrules: []\n"))
        .hasMessage("group \"g\": rules: a group needs a list of at least one rule");
  }

  @Test
  void logRulesAreChecked() {
    assertThatThrownBy(() -> parser.parseGroup(
        "name: g\nrules:\n  - alert: L\n    logs: {colour: red}\n    threshold: 1\n    window: 5m\n"))
        .hasMessage("group \"g\", rule \"L\": logs: unknown parameter colour");
    assertThatThrownBy(() -> parser.parseGroup("name: g\nrules:\n  - alert: L\n    logs: {q: x}\n    window: 5m\n"))
        .hasMessageContaining("threshold:");
    assertThatThrownBy(() -> parser.parseGroup(
        "name: g\nrules:\n  - alert: L\n    expr: up\n    threshold: 3\n"))
        .hasMessageContaining("invalid field 'threshold'");
  }

  @Test
  void notYamlIsRefused() {
    assertThatThrownBy(() -> parser.parseGroup("name: [unclosed")).isInstanceOf(InvalidRuleException.class)
        .hasMessageStartingWith("not valid YAML");
  }
}
