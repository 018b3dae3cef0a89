package io.fleetlens.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Access control on two query API replicas sharing one database: no token is 401, a token without
 * the endpoint's role is 403 naming the role, a revoked token stops working on the other replica
 * within a second, and rule changes land in the audit log under the token's name.
 */
class AccessControlTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String ADMIN = "bootstrap-admin-secret-0123456789";

  private QueryApiConfig.Database database;
  private QueryApiMain first;
  private QueryApiMain second;

  @BeforeEach
  void start(@TempDir Path dir) throws Exception {
    Path tokenFile = Files.writeString(dir.resolve("admin-token"), ADMIN + "\n");
    database = QueryApiConfig.Database.inMemory("access");
    first = replica(database, tokenFile);
    second = replica(database, tokenFile);
  }

  private static QueryApiMain replica(QueryApiConfig.Database db, Path tokenFile) {
    return new QueryApiMain(new QueryApiConfig(new QueryApiConfig.Elasticsearch(List.of("http://127.0.0.1:9"), "acl"),
        new QueryApiConfig.Promql(1_000, 100, 1_000, 300_000), new QueryApiConfig.Http("127.0.0.1", 0), db,
        QueryApiConfig.Alerting.defaults().off(), new QueryApiConfig.Auth(true, tokenFile.toString()), QueryApiConfig.Limits.defaults()));
  }

  @AfterEach
  void stop() throws Exception {
    first.close();
    second.close();
  }

  private static HttpResponse<String> send(QueryApiMain api, String method, String path, String token, String body)
      throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.httpPort() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      r.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      r.header("Content-Type", "application/json");
    }
    return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void noTokenIs401AndTheOperationalEndpointsStayOpen() throws Exception {
    HttpResponse<String> r = send(first, "GET", "/api/v1/query?query=1", null, null);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(r.body()).path("error").asText()).isEqualTo("unauthorized");
    assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    assertThat(send(first, "GET", "/api/v1/query?query=1", "flt_made-up", null).statusCode()).isEqualTo(401);
    assertThat(send(first, "GET", "/healthz", null, null).statusCode()).isEqualTo(200);
  }

  @Test
  void pathsSpelledOtherwiseAreCheckedAsTheRouterReadsThem() throws Exception {
    assertThat(send(first, "POST", "//api/v1/admin/tokens", null, "{\"name\": \"x\", \"roles\": [\"admin\"]}")
        .statusCode()).as("a doubled slash does not skip the check").isEqualTo(401);
    String metrics = create(first, "sneaky", "[\"metrics:read\"]");
    for (String path : List.of("/api/v1/%61dmin/tokens", "/api/v1//admin/tokens", "/api/v1/x/../admin/tokens",
        "/api/v1/%70ricing/price-sheets")) {
      HttpResponse<String> r = send(first, path.contains("pricing") ? "POST" : "GET", path, metrics,
          path.contains("pricing") ? "{}" : null);
      assertThat(r.statusCode()).as(path + " -> " + r.body()).isEqualTo(403);
    }
  }

  @Test
  void theLokiApiNeedsATokenWithTheLogsRole() throws Exception {
    assertThat(send(first, "GET", "/loki/api/v1/labels", null, null).statusCode()).isEqualTo(401);
    String metrics = create(first, "grafana-metrics", "[\"metrics:read\"]");
    HttpResponse<String> refused = send(first, "GET", "/loki/api/v1/query_range?query=%7Ba%3D%22b%22%7D", metrics, null);
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(refused.body()).path("missingRole").asText()).isEqualTo("logs:read");
    String logs = create(first, "grafana-logs", "[\"logs:read\"]");
    assertThat(send(first, "GET", "/loki/api/v1/status/buildinfo", logs, null).statusCode()).isEqualTo(200);
  }

  @Test
  void aTokenWithoutTheRoleGets403NamingIt() throws Exception {
    String logsOnly = create(first, "team-a", "[\"logs:read\"]");
    for (String[] c : List.of(new String[] {"GET", "/api/v1/allocation?window=1h", "cost:read"},
        new String[] {"GET", "/api/v1/query?query=1", "metrics:read"},
        new String[] {"PUT", "/api/v1/rules/groups/g", "rules:write"},
        new String[] {"GET", "/api/v1/admin/tokens", "admin"})) {
      HttpResponse<String> r = send(first, c[0], c[1], logsOnly, c[0].equals("PUT") ? "{}" : null);
      assertThat(r.statusCode()).as(c[1]).isEqualTo(403);
      JsonNode body = JSON.readTree(r.body());
      assertThat(body.path("error").asText()).isEqualTo("forbidden");
      assertThat(body.path("missingRole").asText()).isEqualTo(c[2]);
      assertThat(body.path("message").asText()).contains("team-a").contains(c[2]);
    }
    String metrics = create(first, "grafana", "[\"metrics:read\"]");
    assertThat(send(second, "GET", "/api/v1/query?query=1%2B1", metrics, null).statusCode()).isEqualTo(200);
  }

  @Test
  void aRevokedTokenStopsWorkingOnEveryReplicaWithinASecond() throws Exception {
    String metrics = create(first, "ci", "[\"metrics:read\"]");
    assertThat(send(second, "GET", "/api/v1/query?query=1", metrics, null).statusCode()).isEqualTo(200);
    long id = -1;
    JsonNode tokens = JSON.readTree(send(first, "GET", "/api/v1/admin/tokens", ADMIN, null).body()).path("tokens");
    for (JsonNode t : tokens) {
      if (t.path("name").asText().equals("ci")) {
        id = t.path("id").asLong();
      }
    }
    assertThat(send(first, "DELETE", "/api/v1/admin/tokens/" + id, ADMIN, null).statusCode()).isEqualTo(200);
    long revoked = System.nanoTime();
    while (send(second, "GET", "/api/v1/query?query=1", metrics, null).statusCode() != 401) {
      assertThat((System.nanoTime() - revoked) / 1_000_000).as("still accepted after revocation").isLessThan(1_000);
      Thread.sleep(20);
    }
    System.out.printf("revocation seen by the other replica after %d ms%n", (System.nanoTime() - revoked) / 1_000_000);
    assertThat(send(first, "GET", "/api/v1/query?query=1", metrics, null).statusCode()).isEqualTo(401);
  }

  @Test
  void ruleChangesAndTokenChangesAreAudited() throws Exception {
    String writer = create(first, "alerts-bot", "[\"rules:write\"]");
    HttpRequest put = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + first.httpPort()
        + "/api/v1/rules/groups/audited")).header("Authorization", "Bearer " + writer)
        .header("Content-Type", "application/yaml")
        .PUT(HttpRequest.BodyPublishers.ofString("name: audited\nrules:\n  - alert: A\n    expr: up == 0\n")).build();
    assertThat(HTTP.send(put, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(201);
    JsonNode events = JSON.readTree(send(second, "GET", "/api/v1/admin/audit", ADMIN, null).body()).path("events");
    assertThat(events.get(0).path("actor").asText()).isEqualTo("alerts-bot");
    assertThat(events.get(0).path("action").asText()).isEqualTo("rules.create");
    assertThat(events.get(0).path("target").asText()).isEqualTo("group audited");
    assertThat(events.get(1).path("action").asText()).isEqualTo("token.create");
    assertThat(events.get(1).path("actor").asText()).isEqualTo("bootstrap-admin");
    assertThat(events.toString()).doesNotContain(writer);

    HttpResponse<String> receiver = send(first, "PUT", "/api/v1/alerting/receivers/pager", writer,
        "{\"url\": \"http://127.0.0.1:9/hook\", \"secret\": \"do-not-log-me\"}");
    assertThat(receiver.statusCode()).as(receiver.body()).isEqualTo(201);
    assertThat(send(first, "POST", "/api/v1/pricing/price-sheets", ADMIN, "{\"cluster\": \"c\", \"currency\": \"EUR\","
        + " \"cpuCoreHour\": \"0.03\", \"ramGibHour\": \"0.004\", \"effectiveFrom\": \"2026-01-01T00:00:00Z\"}")
        .statusCode()).isEqualTo(201);
    long deadline = System.currentTimeMillis() + 5_000;
    JsonNode later;
    do {
      Thread.sleep(50);
      later = JSON.readTree(send(second, "GET", "/api/v1/admin/audit", ADMIN, null).body()).path("events");
    } while (later.size() < 4 && System.currentTimeMillis() < deadline);
    assertThat(later.toString()).contains("\"actor\":\"alerts-bot\",\"action\":\"alerting.put\","
        + "\"target\":\"/api/v1/alerting/receivers/pager\"").contains("\"action\":\"pricing.post\"")
        .doesNotContain("do-not-log-me");
  }

  private static String create(QueryApiMain api, String name, String roles) throws Exception {
    HttpResponse<String> r = send(api, "POST", "/api/v1/admin/tokens", ADMIN,
        "{\"name\": \"" + name + "\", \"roles\": " + roles + "}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return JSON.readTree(r.body()).path("token").asText();
  }

  @Test
  void theCliCreatesListsAndRevokesTokensOnTheSameDatabase() throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.util.Map<String, String> env = java.util.Map.of("FLEETLENS_DATABASE_JDBC_URL", database.jdbcUrl());
    int code = TokensCli.run(new String[] {"create", "cost-viewer", "cost:read", "prod-.*", ".*"}, env,
        new java.io.PrintStream(out), new java.io.PrintStream(err));
    assertThat(code).as(err.toString()).isZero();
    String secret = out.toString().lines().toList().get(1);
    assertThat(send(first, "GET", "/api/v1/pricing/price-sheets", secret, null).statusCode()).isEqualTo(200);
    assertThat(TokensCli.run(new String[] {"create", "x", "cost:write"}, env, new java.io.PrintStream(out),
        new java.io.PrintStream(err))).isEqualTo(2);
    assertThat(err.toString()).contains("unknown role cost:write");
  }
}
