package io.fleetlens.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The request limits, each with its status, JSON body and metric. */
class RequestLimitsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private QueryApiMain api;

  @BeforeEach
  void start() {
    api = new QueryApiMain(new QueryApiConfig(new QueryApiConfig.Elasticsearch(List.of("http://127.0.0.1:9"), "lim"),
        new QueryApiConfig.Promql(1_000, 100, 1_000, 300_000), new QueryApiConfig.Http("127.0.0.1", 0),
        QueryApiConfig.Database.inMemory("limits"), QueryApiConfig.Alerting.defaults().off(),
        QueryApiConfig.Auth.off(), new QueryApiConfig.Limits(40, 0.5, 5, 4,
            7 * 86_400_000L, 256 * 1024)));
  }

  @AfterEach
  void stop() throws Exception {
    api.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.httpPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aCallerOverItsRateGets429WithRetryAfterAndTheOperationalEndpointsStayOpen() throws Exception {
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      statuses.add(get("/api/v1/query?query=1").statusCode());
    }
    assertThat(statuses.subList(0, 5)).containsOnly(200);
    assertThat(statuses.subList(5, 7)).containsOnly(429);
    HttpResponse<String> limited = get("/api/v1/query?query=1");
    assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
    JsonNode body = JSON.readTree(limited.body());
    assertThat(body.path("error").asText()).isEqualTo("limited");
    assertThat(body.path("limit").asText()).isEqualTo("rate");
    assertThat(get("/healthz").statusCode()).isEqualTo(200);
    assertThat(get("/metrics").body()).contains("fleetlens_query_limited_total{app=\"query-api\",limit=\"rate\"}");
  }

  @Test
  void aQueryLongerThanTheLimitIs400NamingIt() throws Exception {
    HttpResponse<String> r = get("/api/v1/query?query=" + "1%2B".repeat(30) + "1");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(r.body()).path("limit").asText()).isEqualTo("query_length");
    assertThat(JSON.readTree(r.body()).path("message").asText()).contains("the limit is 40");
  }

  private HttpResponse<String> send(String method, String path, String contentType, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.httpPort() + path))
        .header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aQuerySentAsAFormIsHeldToTheSameLimits() throws Exception {
    HttpResponse<String> r = send("POST", "/api/v1/query", "application/x-www-form-urlencoded",
        "query=" + "1%2B".repeat(30) + "1");
    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.path("errorType").asText()).as("Prometheus' error shape, for Grafana").isEqualTo("bad_data");
    assertThat(body.path("limit").asText()).isEqualTo("query_length");
    HttpResponse<String> range = send("POST", "/api/v1/query_range", "application/x-www-form-urlencoded",
        "query=1&start=0&end=864000&step=3600");
    assertThat(range.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(range.body()).path("limit").asText()).isEqualTo("time_range");
  }

  @Test
  void aTimeRangeOrWindowLongerThanTheLimitIs400NamingIt() throws Exception {
    HttpResponse<String> r = get("/api/v1/query_range?query=1&start=0&end=864000&step=3600");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(r.body()).path("limit").asText()).isEqualTo("time_range");
    assertThat(JSON.readTree(r.body()).path("message").asText()).isEqualTo("the request spans 240h; the limit is 168h");
    assertThat(JSON.readTree(get("/api/v1/logs?start=2026-01-01T00:00:00Z&end=2026-02-01T00:00:00Z").body())
        .path("limit").asText()).isEqualTo("time_range");
    assertThat(JSON.readTree(get("/api/v1/allocation?window=30d").body()).path("limit").asText())
        .isEqualTo("time_range");
    assertThat(get("/api/v1/query_range?query=1&start=0&end=518400&step=3600").statusCode())
        .as("6 days are within the limit").isEqualTo(200);
    assertThat(get("/metrics").body()).contains("fleetlens_query_limited_total{app=\"query-api\",limit=\"time_range\"} 3.0");
  }

  @Test
  void aBodyOverTheLimitIs413WithJsonEvenWhenTheEndpointsOwnLimitIsSmaller() throws Exception {
    HttpResponse<String> huge = send("POST", "/api/v1/rules/validate", "application/yaml", "#".repeat(300 * 1024));
    assertThat(huge.statusCode()).isEqualTo(413);
    assertThat(JSON.readTree(huge.body()).path("limit").asText()).isEqualTo("body_size");
    HttpResponse<String> receiver = send("PUT", "/api/v1/alerting/receivers/big", "application/json",
        "{\"url\": \"http://x\", \"pad\": \"" + "x".repeat(100 * 1024) + "\"}");
    assertThat(receiver.statusCode()).as("receivers take 64 KiB").isEqualTo(413);
    assertThat(JSON.readTree(receiver.body()).path("limit").asText()).isEqualTo("body_size");
    assertThat(get("/metrics").body()).contains("fleetlens_query_limited_total{app=\"query-api\",limit=\"body_size\"} 2.0");
  }
}
