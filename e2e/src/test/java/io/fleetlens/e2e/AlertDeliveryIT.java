package io.fleetlens.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
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
 * Notifications reach receivers once per state change: a webhook failing three times with 500 is
 * retried with backoff until it takes the notification; one answering 400 is not retried and the
 * failure shows in the API; a real Alertmanager (Debian's) receives the alerts, lists them through
 * its own API and drops them when they resolve.
 */
@ExtendWith(RealServers.class)
class AlertDeliveryIT {

  private static final long MIN = 60_000;
  private static AlertingStack stack;
  private static long base;

  @BeforeAll
  static void start(KafkaFixture kafka, ElasticsearchFixture elasticsearch) throws Exception {
    stack = new AlertingStack("alert-delivery", kafka, elasticsearch,
        QueryApiConfig.Alerting.defaults().off().withRetry(1_000, 8_000, 10),
        QueryApiConfig.Database.inMemory("alert-delivery"));
    base = (System.currentTimeMillis() - 20 * MIN) / MIN * MIN;
    List<Sample> samples = new ArrayList<>();
    for (int k = 0; k < 6; k++) {
      samples.add(new Sample("switch", new TreeMap<>(Map.of("cluster", "alert-delivery", "job", "api")), base + k * MIN,
          k < 3 ? 1 : 0));
    }
    stack.write(samples, "sum(count_over_time(switch[10m]))", 6, base + 6 * MIN);
  }

  @AfterAll
  static void stop() throws Exception {
    if (stack != null) {
      stack.close();
    }
  }

  private static void receiverAndRoute(String name, String url, String kind, String alertname) throws Exception {
    Http.Response r = stack.put("/api/v1/alerting/receivers/" + name, "application/json",
        "{\"kind\": \"" + kind + "\", \"url\": \"" + url + "\", \"timeout\": \"5s\"}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    r = stack.postJson("/api/v1/alerting/routes", "{\"receiver\": \"" + name + "\", \"matchers\": [\"alertname=\\\""
        + alertname + "\\\"\"], \"groupBy\": [\"alertname\"], \"groupWait\": \"0s\", \"groupInterval\": \"1ms\"}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
  }

  @Test
  void aReceiverFailingThreeTimesGetsEachStateChangeOnceAndOneAnswering400IsNotRetried() throws Exception {
    try (WebhookReceiver flaky = new WebhookReceiver(500, 500, 500);
        WebhookReceiver refusing = new WebhookReceiver(400, 400, 400, 400, 400, 400)) {
      receiverAndRoute("flaky", flaky.url(), "webhook", "Switched");
      receiverAndRoute("refusing", refusing.url(), "webhook", "Refused");
      Http.Response created = stack.put("/api/v1/rules/groups/delivery", "application/yaml", """
          name: delivery
          rules:
            - alert: Switched
              expr: switch > 0
            - alert: Refused
              expr: switch > 0
          """);
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      for (int k = 0; k < 6; k++) {
        long t = base + k * MIN + 5_000;
        stack.alerting().evaluate("delivery", t);
        stack.alerting().dispatch(t);
        for (int s = 0; s < 30; s++) {
          stack.alerting().deliver(t + s * 1_000L);
        }
      }
      List<String> told = flaky.accepted().stream().map(r -> r.body().path("status").asText()).toList();
      assertThat(told).as("one firing and one resolved notification, each once").containsExactly("firing", "resolved");
      assertThat(flaky.requests()).hasSize(5);
      assertThat(flaky.requests().subList(0, 4)).extracting(WebhookReceiver.Request::idempotencyKey)
          .as("the retries are the same notification").containsOnly(flaky.requests().getFirst().idempotencyKey());
      assertThat(flaky.requests().get(4).idempotencyKey()).isNotEqualTo(flaky.requests().getFirst().idempotencyKey());

      assertThat(refusing.requests()).extracting(r -> r.body().path("status").asText())
          .as("each state change is tried once: a 400 is not retried").containsExactly("firing", "resolved");
      JsonNode failed = stack.get("/api/v1/alerting/notifications?status=failed").path("notifications");
      assertThat(failed).hasSize(2).allSatisfy(f -> {
        assertThat(f.path("receiver").asText()).isEqualTo("refusing");
        assertThat(f.path("lastStatus").asInt()).isEqualTo(400);
        assertThat(f.path("attempts").asInt()).isEqualTo(1);
        assertThat(f.path("lastError").asText()).contains("receiver says 400");
        assertThat(f.path("payload").path("version").asText()).isEqualTo("4");
      });

      JsonNode delivered = stack.get("/api/v1/alerting/notifications?status=delivered").path("notifications");
      assertThat(delivered).extracting(n -> n.path("receiver").asText() + "#" + n.path("sequence").asInt() + "x"
          + n.path("attempts").asInt()).containsExactlyInAnyOrder("flaky#1x4", "flaky#2x1");
    }
  }

  @Test
  void aRealAlertmanagerReceivesTheAlertsAndDropsThemWhenResolved() throws Exception {
    assertThat(AlertmanagerProcess.BINARY).as("prometheus-alertmanager is installed (.ci/run installs it)").exists();
    Path work = Path.of("target", "e2e", "alertmanager-" + System.nanoTime()).toAbsolutePath();
    try (AlertmanagerProcess alertmanager = new AlertmanagerProcess(work)) {
      receiverAndRoute("alertmanager", alertmanager.url(), "alertmanager", "ToAlertmanager");
      long t1 = System.currentTimeMillis();
      long until = t1 / 1000 + 1;
      Http.Response created = stack.put("/api/v1/rules/groups/am", "application/yaml", """
          name: am
          rules:
            - alert: ToAlertmanager
              expr: vector(1) and on() (vector(time()) < %d)
              labels: {team: payments, severity: page}
              annotations: {summary: "sent by Fleetlens"}
          """.formatted(until));
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      stack.step("am", t1);

      JsonNode listed = Http.get(alertmanager.url() + "/api/v2/alerts").json();
      assertThat(listed).hasSize(1);
      JsonNode alert = listed.get(0);
      assertThat(alert.path("labels").path("alertname").asText()).isEqualTo("ToAlertmanager");
      assertThat(alert.path("labels").path("team").asText()).isEqualTo("payments");
      assertThat(alert.path("annotations").path("summary").asText()).isEqualTo("sent by Fleetlens");
      assertThat(alert.path("status").path("state").asText()).isEqualTo("active");
      assertThat(alert.path("generatorURL").asText()).contains("/graph?g0.expr=");
      assertThat(Instant.parse(alert.path("startsAt").asText()).toEpochMilli()).isEqualTo(t1);

      while (System.currentTimeMillis() <= t1 + 2_000) {
        Thread.sleep(100); // evaluate when the time is there, as the ticking evaluator does
      }
      stack.step("am", t1 + 2_000);
      Instant deadline = Instant.now().plusSeconds(20);
      while (Http.get(alertmanager.url() + "/api/v2/alerts").json().size() > 0) {
        assertThat(Instant.now()).as("Alertmanager drops the resolved alert").isBefore(deadline);
        Thread.sleep(200);
      }
    }
  }
}
