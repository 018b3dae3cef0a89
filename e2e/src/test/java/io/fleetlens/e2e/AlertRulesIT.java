package io.fleetlens.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import io.fleetlens.core.metrics.Sample;
import io.fleetlens.query.QueryApiConfig;
import io.fleetlens.testkit.ElasticsearchFixture;
import io.fleetlens.testkit.KafkaFixture;
import io.fleetlens.testkit.RealServers;

/**
 * Prometheus' rule semantics over samples that went through the real pipeline (remote_write,
 * Kafka, Elasticsearch), evaluated once a minute over ten minutes of history: {@code for},
 * {@code keep_firing_for}, a flapping series, resolution sent to a webhook, a recording rule read
 * by the alert after it and queryable afterwards, {@code ALERTS}; and invalid groups refused
 * without harming the good one.
 */
@ExtendWith(RealServers.class)
class AlertRulesIT {

  private static final long MIN = 60_000;
  private static AlertingStack stack;
  private static WebhookReceiver receiver;
  private static long base;

  @BeforeAll
  static void start(KafkaFixture kafka, ElasticsearchFixture elasticsearch) throws Exception {
    stack = new AlertingStack("alert-rules", kafka, elasticsearch, QueryApiConfig.Alerting.defaults().off(),
        QueryApiConfig.Database.inMemory("alert-rules"));
    receiver = new WebhookReceiver();
    base = (System.currentTimeMillis() - 30 * MIN) / MIN * MIN;
    List<Sample> samples = new ArrayList<>();
    for (int k = 0; k < 10; k++) {
      long t = base + k * MIN;
      samples.add(sample("queue_depth", t, k < 4 ? 20 : 0));
      samples.add(sample("temp", t, k == 0 ? 60 : 0));
      samples.add(sample("flappy", t, k % 2 == 0 ? 1 : 0));
    }
    stack.write(samples, "sum(count_over_time(queue_depth[15m])) + sum(count_over_time(temp[15m]))"
        + " + sum(count_over_time(flappy[15m]))", 30, base + 10 * MIN);
    Http.Response r = stack.put("/api/v1/alerting/receivers/team-hook", "application/json",
        "{\"kind\": \"webhook\", \"url\": \"" + receiver.url() + "\", \"secret\": \"s3cret\"}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    r = stack.postJson("/api/v1/alerting/routes", "{\"receiver\": \"team-hook\", \"groupBy\": [\"alertname\"],"
        + " \"groupWait\": \"0s\", \"groupInterval\": \"1ms\", \"repeatInterval\": \"4h\", \"sendResolved\": true}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
  }

  private static Sample sample(String name, long t, double v) {
    return new Sample(name, new TreeMap<>(Map.of("job", "api", "cluster", "alert-rules")), t, v);
  }

  @AfterAll
  static void stop() throws Exception {
    if (receiver != null) {
      receiver.close();
    }
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void forKeepFiringForFlappingResolutionAndRecordingRulesBehaveAsInPrometheus() throws Exception {
    Http.Response created = stack.put("/api/v1/rules/groups/semantics", "application/yaml", """
        name: semantics
        interval: 1m
        rules:
          - record: job:queue_depth:max
            expr: max by (cluster, job) (queue_depth)
          - alert: QueueDeep
            expr: job:queue_depth:max > 10
            for: 2m
            labels: {severity: page}
            annotations: {summary: "queue {{ $labels.job }} holds {{ $value }} items"}
          - alert: Hot
            expr: temp > 50
            keep_firing_for: 3m
          - alert: Flapping
            expr: flappy > 0
            for: 2m
        """);
    assertThat(created.status()).as(created.body()).isEqualTo(201);

    List<Map<String, String>> states = new ArrayList<>();
    for (int k = 0; k <= 6; k++) {
      long t = base + k * MIN + 5_000;
      stack.step("semantics", t);
      states.add(alertStates());
    }
    assertThat(column(states, "QueueDeep")).containsExactly("pending", "pending", "firing", "firing", "inactive",
        "inactive", "inactive");
    assertThat(column(states, "Hot")).containsExactly("firing", "firing", "firing", "firing", "inactive", "inactive",
        "inactive");
    assertThat(column(states, "Flapping")).containsExactly("pending", "inactive", "pending", "inactive", "pending",
        "inactive", "pending");

    List<String> told = receiver.accepted().stream()
        .map(n -> n.body().path("groupLabels").path("alertname").asText() + ":" + n.body().path("status").asText())
        .toList();
    assertThat(told).hasSize(4);
    assertThat(told.subList(0, 2)).as("Hot fires at once, QueueDeep after for").containsExactly("Hot:firing",
        "QueueDeep:firing");
    assertThat(told.subList(2, 4)).as("both resolve at the same evaluation").containsExactlyInAnyOrder(
        "Hot:resolved", "QueueDeep:resolved");
    assertThat(receiver.requests()).as("nothing was refused or repeated").hasSize(4);
    JsonNode deep = receiver.accepted().get(1).body();
    assertThat(deep.path("alerts").get(0).path("annotations").path("summary").asText())
        .isEqualTo("queue api holds 20 items");
    assertThat(deep.path("alerts").get(0).path("startsAt").asText())
        .isEqualTo(java.time.Instant.ofEpochMilli(base + 2 * MIN + 5_000).toString());
    assertThat(deep.path("commonLabels").path("cluster").asText()).isEqualTo("alert-rules");
    WebhookReceiver.Request first = receiver.accepted().getFirst();
    assertThat(first.signature()).isEqualTo("sha256=" + io.fleetlens.alerting.notify.Delivery.sign("s3cret",
        first.raw()));

    JsonNode recorded = stack.get("/api/v1/query_range?query=" + AlertingStack.q("job:queue_depth:max")
        + "&start=" + AlertingStack.seconds(base + 5_000) + "&end=" + AlertingStack.seconds(base + 5 * MIN + 5_000) + "&step=60");
    JsonNode series = recorded.path("data").path("result").get(0);
    assertThat(series.path("metric").path("job").asText()).isEqualTo("api");
    List<Double> values = new ArrayList<>();
    series.path("values").forEach(v -> values.add(v.get(1).asDouble()));
    assertThat(values).containsExactly(20.0, 20.0, 20.0, 20.0, 0.0, 0.0);

    assertThat(alertsSeries("QueueDeep", base + 5_000)).containsExactly("pending");
    assertThat(alertsSeries("QueueDeep", base + 2 * MIN + 5_000)).containsExactly("firing");
    assertThat(alertsSeries("QueueDeep", base + 4 * MIN + 5_000)).as("ended by a stale marker").isEmpty();
  }

  /** Each rule's state as Grafana reads it from /api/v1/rules. */
  private static Map<String, String> alertStates() throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    JsonNode groups = stack.get("/api/v1/rules?type=alert").path("data").path("groups");
    for (JsonNode g : groups) {
      if (g.path("name").asText().equals("semantics")) {
        g.path("rules").forEach(r -> {
          assertThat(r.path("health").asText()).as(r.toString()).isEqualTo("ok");
          out.put(r.path("name").asText(), r.path("state").asText());
        });
      }
    }
    return out;
  }

  private static List<String> column(List<Map<String, String>> states, String rule) {
    return states.stream().map(s -> s.get(rule)).toList();
  }

  private static List<String> alertsSeries(String alert, long t) throws Exception {
    JsonNode result = stack.get("/api/v1/query?query=" + AlertingStack.q("ALERTS{alertname=\"" + alert + "\"}")
        + "&time=" + AlertingStack.seconds(t)).path("data").path("result");
    List<String> states = new ArrayList<>();
    result.forEach(r -> states.add(r.path("metric").path("alertstate").asText()));
    return states;
  }

  @Test
  void grafanaSeesRulesAndAlertsInPrometheusShapes() throws Exception {
    Http.Response created = stack.put("/api/v1/rules/groups/shapes", "application/yaml", """
        name: shapes
        interval: 30s
        rules:
          - alert: AlwaysOn
            expr: max by (cluster) (queue_depth) >= 0
            for: 1m
            keep_firing_for: 30s
            labels: {severity: info}
            annotations: {summary: "{{ $value }}"}
          - record: cluster:queue_depth:sum
            expr: sum by (cluster) (queue_depth)
        """);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    stack.alerting().evaluate("shapes", base + 3 * MIN);
    JsonNode group = null;
    for (JsonNode g : stack.get("/api/v1/rules").path("data").path("groups")) {
      if (g.path("name").asText().equals("shapes")) {
        group = g;
      }
    }
    assertThat(group).isNotNull();
    assertThat(group.path("interval").asDouble()).isEqualTo(30.0);
    JsonNode alert = group.path("rules").get(0);
    assertThat(alert.path("type").asText()).isEqualTo("alerting");
    assertThat(alert.path("duration").asDouble()).isEqualTo(60.0);
    assertThat(alert.path("keepFiringFor").asDouble()).isEqualTo(30.0);
    assertThat(alert.path("state").asText()).isEqualTo("pending");
    assertThat(alert.path("alerts").get(0).path("value").asText()).isEqualTo("2e+01");
    assertThat(alert.path("alerts").get(0).path("labels").path("alertname").asText()).isEqualTo("AlwaysOn");
    assertThat(group.path("rules").get(1).path("type").asText()).isEqualTo("recording");
    JsonNode alerts = stack.get("/api/v1/alerts").path("data").path("alerts");
    assertThat(alerts).anySatisfy(a -> assertThat(a.path("labels").path("alertname").asText()).isEqualTo("AlwaysOn"));
    assertThat(stack.get("/api/v1/rules?type=record").path("data").path("groups").toString())
        .doesNotContain("AlwaysOn");
  }

  @Test
  void invalidGroupsAreRefusedNamingTheProblemAndNeverReplaceAGoodOne() throws Exception {
    String good = "name: guarded\nrules:\n  - alert: Up\n    expr: up == 1\n";
    assertThat(stack.put("/api/v1/rules/groups/guarded", "application/yaml", good).status()).isEqualTo(201);
    Map<String, String> bad = new LinkedHashMap<>();
    bad.put("name: guarded\nrules:\n  - alert: Broken\n    expr: sum(rate(x[5m])\n",
        "group \"guarded\", rule \"Broken\": expr: ");
    bad.put("name: guarded\nrules:\n  - alert: Slow\n    expr: up\n    for: five minutes\n",
        "group \"guarded\", rule \"Slow\": for: not a valid duration string");
    bad.put("name: guarded\nrules:\n  - alert: T\n    expr: up\n    annotations: {s: \"{{ $value | humanise }}\"}\n",
        "group \"guarded\", rule \"T\": annotations.s: template: function \"humanise\" not defined");
    bad.put("name: guarded\nrules:\n  - alert: D\n    expr: up\n  - alert: D\n    expr: up == 0\n",
        "group \"guarded\", rule \"D\": duplicate rule");
    bad.put("name: guarded\ninterval: 1 minute\nrules:\n  - alert: U\n    expr: up\n",
        "group \"guarded\": interval: not a valid duration string");
    for (Map.Entry<String, String> e : bad.entrySet()) {
      Http.Response r = stack.put("/api/v1/rules/groups/guarded", "application/yaml", e.getKey());
      assertThat(r.status()).as(r.body()).isEqualTo(400);
      JsonNode body = r.json();
      assertThat(body.path("error").asText()).isEqualTo("invalid_rule");
      assertThat(body.path("group").asText()).isEqualTo("guarded");
      assertThat(body.path("message").asText()).startsWith(e.getValue());
      Http.Response check = Http.send("POST", stack.api() + "/api/v1/rules/validate", "application/yaml", e.getKey());
      assertThat(check.status()).isEqualTo(400);
    }
    assertThat(stack.get("/api/v1/rules/groups/guarded").path("source").asText()).contains("alert: Up")
        .doesNotContain("Broken");
    Http.Response valid = Http.send("POST", stack.api() + "/api/v1/rules/validate", "application/yaml",
        "groups:\n  - " + good.replace("\n", "\n    ").strip() + "\n");
    assertThat(valid.status()).as(valid.body()).isEqualTo(200);
    assertThat(valid.json().path("valid").asBoolean()).isTrue();
    Http.Response conflict = stack.postJson("/api/v1/rules/groups", "{\"name\": \"guarded\", \"rules\": "
        + "[{\"alert\": \"X\", \"expr\": \"up\"}]}");
    assertThat(conflict.status()).isEqualTo(409);
  }
}
