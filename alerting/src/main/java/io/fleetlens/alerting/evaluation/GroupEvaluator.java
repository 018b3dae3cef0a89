package io.fleetlens.alerting.evaluation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

import io.fleetlens.alerting.rules.AlertTemplate;
import io.fleetlens.alerting.rules.AlertingRule;
import io.fleetlens.alerting.rules.LogAlertRule;
import io.fleetlens.alerting.rules.RecordingRule;
import io.fleetlens.alerting.rules.Rule;
import io.fleetlens.alerting.rules.RuleGroup;
import io.fleetlens.core.access.Scope;
import io.fleetlens.core.metrics.Labels;
import io.fleetlens.core.metrics.Sample;
import io.fleetlens.core.metrics.SampleSink;
import io.fleetlens.core.metrics.StaleNaN;
import io.fleetlens.promql.eval.Engine;
import io.fleetlens.promql.eval.Value;

/**
 * Evaluates one group at one instant, rule by rule in order, as Prometheus does: recording rules
 * give series to write, alerting rules (over PromQL or a log count) move their alerts through
 * {@link AlertTransitions} and give the {@code ALERTS} and {@code ALERTS_FOR_STATE} series. A
 * series written at the previous evaluation and not now gets a stale marker, so it ends at once
 * instead of lingering for the lookback. A rule that fails keeps its alerts as they were and
 * reports the error in its health; the group's other rules still run.
 *
 * <p>A group runs as its owner: its queries and log counts see only the owner's tenants, and it
 * writes only series the owner could read back (their {@code cluster} and {@code namespace} within
 * the owner's tenants), so a team's rules can neither read another team's data nor write into its
 * series. Series outside are dropped and named in the rule's health.
 */
public final class GroupEvaluator {

  /** A group's evaluation: its new state and the samples to write. */
  public record Outcome(GroupState state, List<Sample> samples) {
  }

  private final Function<Scope, Engine> engines;
  private final LogCounter logs;
  private final Map<String, String> externalLabels;
  private final String externalUrl;
  private final long resolvedRetentionMs;
  private final Map<String, Set<Labels>> writtenBefore = new HashMap<>();
  private final Map<String, AlertTemplate> templates = new java.util.concurrent.ConcurrentHashMap<>();

  public GroupEvaluator(Function<Scope, Engine> engines, LogCounter logs, Map<String, String> externalLabels, String externalUrl,
      long resolvedRetentionMs) {
    this.engines = engines;
    this.logs = logs;
    this.externalLabels = Map.copyOf(externalLabels);
    this.externalUrl = externalUrl;
    this.resolvedRetentionMs = resolvedRetentionMs;
  }

  /**
   * Evaluates {@code group} at {@code t}, writing each rule's series to {@code output} before the
   * next rule runs, so a rule can read what the rule before it recorded. A rule whose series cannot
   * be written reports that in its health.
   */
  public synchronized Outcome evaluate(RuleGroup group, Scope owner, GroupState previous, long t, SampleSink output) {
    Engine engine = engines.apply(owner);
    Map<String, List<ActiveAlert>> alerts = new LinkedHashMap<>();
    Map<String, RuleHealth> health = new LinkedHashMap<>();
    List<Sample> samples = new ArrayList<>();
    for (Rule rule : group.rules()) {
      String key = GroupState.ruleKey(rule);
      long started = System.nanoTime();
      List<Sample> written = new ArrayList<>();
      try {
        switch (rule) {
          case RecordingRule r -> written.addAll(record(engine, r, group, t));
          case AlertingRule a -> alerts.put(key, alert(a, group, previous.alertsOf(rule), vector(engine, a, group, t), t,
              written));
          case LogAlertRule l -> alerts.put(key, alert(l, group, previous.alertsOf(rule), logCount(owner, l, t), t,
              written));
        }
        List<Sample> allowed = written.stream().filter(s -> owner.sees(s.labels().get("cluster"),
            s.labels().get("namespace"))).toList();
        if (!allowed.isEmpty()) {
          output.accept(allowed);
          samples.addAll(allowed);
        }
        int dropped = written.size() - allowed.size();
        health.put(key, dropped == 0 ? RuleHealth.ok(t, seconds(started)) : RuleHealth.error(t, seconds(started),
            dropped + " series not written: their cluster and namespace labels are outside the group owner's tenants"
                + " (keep cluster and namespace in the result, e.g. sum by (cluster, namespace))"));
      } catch (Exception e) {
        alerts.putIfAbsent(key, previous.alertsOf(rule));
        health.put(key, RuleHealth.error(t, seconds(started), message(e)));
      }
    }
    List<Sample> stale = staleMarkers(group.name(), samples, t).stream()
        .filter(s -> owner.sees(s.labels().get("cluster"), s.labels().get("namespace"))).toList();
    if (!stale.isEmpty()) {
      try {
        output.accept(stale);
        samples.addAll(stale);
      } catch (RuntimeException e) {
        // the series then end by the lookback instead
      }
    }
    return new Outcome(new GroupState(t, alerts, health), samples);
  }

  /** Forgets what a removed group wrote, so a group of the same name starts clean. */
  public synchronized void forget(String group) {
    writtenBefore.remove(group);
  }

  private static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }

  private static String message(Exception e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static List<Value.Sample> vector(Engine engine, AlertingRule rule, RuleGroup group, long t) {
    return limited(resultOf(engine.query(rule.parsed(), t).value(), t), group);
  }

  /** Prometheus' group {@code limit}: a rule giving more series than it fails, and writes nothing. */
  private static List<Value.Sample> limited(List<Value.Sample> result, RuleGroup group) {
    if (group.limit() > 0 && result.size() > group.limit()) {
      throw new IllegalStateException("exceeded limit of " + group.limit() + " with " + result.size() + " series");
    }
    return result;
  }

  private static List<Value.Sample> resultOf(Value value, long t) {
    return switch (value) {
      case Value.Vector v -> v.samples();
      case Value.Scalar s -> List.of(new Value.Sample(Labels.EMPTY, t, s.value()));
      default -> throw new IllegalStateException("rule result is not a vector or scalar");
    };
  }

  private List<Value.Sample> logCount(Scope owner, LogAlertRule rule, long t) throws Exception {
    long count = logs.count(owner, rule.logs(), t - rule.windowMs(), t);
    return count > rule.threshold() ? List.of(new Value.Sample(Labels.EMPTY, t, count)) : List.of();
  }

  private static List<Sample> record(Engine engine, RecordingRule rule, RuleGroup group, long t) {
    List<Sample> out = new ArrayList<>();
    Set<Map<String, String>> seen = new HashSet<>();
    for (Value.Sample s : limited(resultOf(engine.query(rule.parsed(), t).value(), t), group)) {
      TreeMap<String, String> labels = new TreeMap<>(s.labels().withoutMetricName().toMap());
      labels.putAll(group.labels());
      labels.putAll(rule.labels());
      if (!seen.add(labels)) {
        throw new IllegalStateException("vector contains metrics with the same labelset after applying rule labels");
      }
      out.add(new Sample(rule.name(), labels, t, s.value()));
    }
    return out;
  }

  private List<ActiveAlert> alert(Rule rule, RuleGroup group, List<ActiveAlert> previous, List<Value.Sample> result,
      long t, List<Sample> samples) {
    Map<String, String> ruleLabels = new TreeMap<>(group.labels());
    ruleLabels.putAll(rule.labels());
    Map<String, String> annotationTemplates = switch (rule) {
      case AlertingRule a -> a.annotations();
      case LogAlertRule l -> l.annotations();
      case RecordingRule r -> Map.of();
    };
    List<AlertTransitions.Returned> returned = new ArrayList<>();
    Set<Map<String, String>> seen = new HashSet<>();
    for (Value.Sample s : result) {
      AlertTemplate.Data data = new AlertTemplate.Data(s.labels().toMap(), s.value(), externalLabels, externalUrl);
      TreeMap<String, String> labels = new TreeMap<>(s.labels().withoutMetricName().toMap());
      ruleLabels.forEach((k, v) -> labels.put(k, template(v).expand(data)));
      labels.put("alertname", rule.name());
      if (!seen.add(labels)) {
        throw new IllegalStateException("vector contains metrics with the same labelset after applying alert labels");
      }
      Map<String, String> annotations = new TreeMap<>();
      annotationTemplates.forEach((k, v) -> annotations.put(k, template(v).expand(data)));
      returned.add(new AlertTransitions.Returned(labels, annotations, s.value()));
    }
    long forMs = rule instanceof AlertingRule a ? a.forMs() : ((LogAlertRule) rule).forMs();
    long keep = rule instanceof AlertingRule a ? a.keepFiringForMs() : ((LogAlertRule) rule).keepFiringForMs();
    List<ActiveAlert> next = AlertTransitions.next(previous, returned, t, forMs, keep, resolvedRetentionMs);
    for (ActiveAlert a : next) {
      if (a.state() == AlertState.INACTIVE) {
        continue;
      }
      TreeMap<String, String> alerts = new TreeMap<>(a.labels());
      alerts.put("alertstate", a.state().wire());
      samples.add(new Sample("ALERTS", alerts, t, 1));
      samples.add(new Sample("ALERTS_FOR_STATE", new TreeMap<>(a.labels()), t, a.activeAtMs() / 1000.0));
    }
    return next;
  }

  /** A label or annotation template, parsed once (the parser checked it when the group was loaded). */
  private AlertTemplate template(String text) {
    if (templates.size() > 10_000) {
      templates.clear();
    }
    return templates.computeIfAbsent(text, AlertTemplate::parse);
  }

  private List<Sample> staleMarkers(String group, List<Sample> written, long t) {
    Set<Labels> now = new HashSet<>();
    for (Sample s : written) {
      now.add(identity(s));
    }
    List<Sample> stale = new ArrayList<>();
    for (Labels before : writtenBefore.getOrDefault(group, Set.of())) {
      if (!now.contains(before)) {
        TreeMap<String, String> labels = new TreeMap<>(before.toMap());
        String name = labels.remove(Labels.METRIC_NAME);
        stale.add(new Sample(name, labels, t, StaleNaN.VALUE));
      }
    }
    writtenBefore.put(group, now);
    return stale;
  }

  private static Labels identity(Sample s) {
    Map<String, String> all = new TreeMap<>(s.labels());
    all.put(Labels.METRIC_NAME, s.name());
    return Labels.of(all);
  }
}
