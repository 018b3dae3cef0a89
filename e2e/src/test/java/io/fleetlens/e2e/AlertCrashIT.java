package io.fleetlens.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

import io.fleetlens.storage.elasticsearch.ElasticsearchClients;
import io.fleetlens.storage.elasticsearch.ElasticsearchSettings;
import io.fleetlens.storage.elasticsearch.metrics.MetricIndexLayout;
import io.fleetlens.storage.elasticsearch.metrics.MetricIndices;
import io.fleetlens.query.QueryApiMain;
import io.fleetlens.testkit.ElasticsearchFixture;
import io.fleetlens.testkit.PostgresFixture;
import io.fleetlens.testkit.RealServers;

/**
 * A notification decided and stored when the query API is killed with SIGKILL before sending it is
 * sent by the replica that takes over, once; the alert neither fires again nor is forgotten.
 */
@ExtendWith(RealServers.class)
class AlertCrashIT {

  private final ElasticsearchFixture elasticsearch;
  private final PostgresFixture postgres;

  AlertCrashIT(ElasticsearchFixture elasticsearch, PostgresFixture postgres) {
    this.elasticsearch = elasticsearch;
    this.postgres = postgres;
  }

  private String config(String database, String instance, boolean paused) {
    return String.join("\n",
        "elasticsearch:",
        "  hosts: [\"" + elasticsearch.httpUrl() + "\"]",
        "  index-prefix: alert-crash",
        "database:",
        "  jdbc-url: \"" + database + "\"",
        "  user: " + postgres.user(),
        "  password: \"" + postgres.password() + "\"",
        "alerting:",
        "  tick-ms: 200",
        "  lease-ms: 2000",
        "  instance: " + instance,
        "  delivery-paused: " + paused,
        "  retry-initial-ms: 200",
        "auth:",
        "  enabled: false");
  }

  @Test
  void aNotificationDecidedBeforeASigkillIsSentAfterTheRestartOnce() throws Exception {
    try (ElasticsearchClient client = ElasticsearchClients.create(new ElasticsearchSettings(
        java.util.List.of(elasticsearch.httpUrl()), "alert-crash", 1, 0, "1s", false))) {
      MetricIndexLayout layout = new MetricIndexLayout("alert-crash");
      new MetricIndices(client, layout, 1, 0, "1s").ensureInstalled(); // as the aggregator would have
    }
    String database = postgres.newDatabase("alert_crash");
    Path work = Path.of("target", "e2e", "alert-crash-" + System.nanoTime()).toAbsolutePath();
    try (WebhookReceiver receiver = new WebhookReceiver();
        AppProcess first = new AppProcess(work, "first", QueryApiMain.class, config(database, "first", true)).start()) {
      Http.Response r = Http.send("PUT", first.url() + "/api/v1/alerting/receivers/oncall", "application/json",
          "{\"url\": \"" + receiver.url() + "\"}");
      assertThat(r.status()).as(r.body()).isEqualTo(201);
      r = Http.send("POST", first.url() + "/api/v1/alerting/routes", "application/json",
          "{\"receiver\": \"oncall\", \"groupBy\": [\"alertname\"], \"groupWait\": \"0s\", \"groupInterval\": \"1s\"}");
      assertThat(r.status()).as(r.body()).isEqualTo(201);
      r = Http.send("PUT", first.url() + "/api/v1/rules/groups/crash", "application/yaml", """
          name: crash
          interval: 1s
          rules:
            - alert: AlwaysFiring
              expr: vector(1)
              labels: {severity: page}
          """);
      assertThat(r.status()).as(r.body()).isEqualTo(201);

      JsonNode pending = awaitNotification(first.url(), "pending");
      String activeAt = activeAt(first.url());
      first.kill();
      assertThat(receiver.requests()).as("nothing was sent before the kill").isEmpty();

      try (AppProcess second = new AppProcess(work, "second", QueryApiMain.class, config(database, "second", false)).start()) {
        awaitNotification(second.url(), "delivered");
        Thread.sleep(4_000); // about four evaluations and twenty dispatch rounds later
        assertThat(receiver.requests()).as("sent once, after the restart").hasSize(1);
        WebhookReceiver.Request got = receiver.requests().getFirst();
        assertThat(got.body().path("status").asText()).isEqualTo("firing");
        assertThat(got.body().path("groupKey").asText()).isEqualTo(pending.path("groupKey").asText());
        assertThat(Http.get(second.url() + "/api/v1/alerting/notifications").json().path("notifications"))
            .as("no second notification was decided").hasSize(1);
        assertThat(activeAt(second.url())).as("the alert kept its state across the kill").isEqualTo(activeAt);
      }
    }
  }

  private static JsonNode awaitNotification(String url, String status) throws Exception {
    Instant deadline = Instant.now().plusSeconds(60);
    while (Instant.now().isBefore(deadline)) {
      JsonNode list = Http.get(url + "/api/v1/alerting/notifications?status=" + status).json().path("notifications");
      if (list.size() > 0) {
        return list.get(0);
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no " + status + " notification at " + url + " in 60 s");
  }

  private static String activeAt(String url) throws Exception {
    JsonNode alerts = Http.get(url + "/api/v1/alerts").json().path("data").path("alerts");
    assertThat(alerts).hasSize(1);
    return alerts.get(0).path("activeAt").asText();
  }
}
