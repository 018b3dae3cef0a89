package io.fleetlens.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The pricing HTTP API over each database it runs on. */
abstract class PricingApiContract {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private QueryApiMain api;
  private String base;

  abstract QueryApiConfig.Database database() throws Exception;

  @BeforeEach
  void start() throws Exception {
    api = new QueryApiMain(new QueryApiConfig(new QueryApiConfig.Elasticsearch(List.of("http://127.0.0.1:9"), "pricing-it"),
        new QueryApiConfig.Promql(1_000, 100, 1_000, 300_000), new QueryApiConfig.Http("127.0.0.1", 0), database(),
        QueryApiConfig.Alerting.defaults().off(), QueryApiConfig.Auth.off(), QueryApiConfig.Limits.defaults()));
    base = "http://127.0.0.1:" + api.httpPort() + "/api/v1/pricing";
  }

  @AfterEach
  void stop() throws Exception {
    api.close();
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type",
        "application/json");
    request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static final String EU = """
      {"cluster": "prod-eu", "currency": "EUR", "cpuCoreHour": "0.031611", "ramGibHour": "0.004237",
       "gpuHour": 0, "pvGibHour": "0.000137", "effectiveFrom": "2026-11-01T00:00:00Z"}""";

  @Test
  void priceSheetsAreCreatedListedChangedAndRetired() throws Exception {
    HttpResponse<String> created = send("POST", "/price-sheets", EU);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonObject sheet = new JsonObject(created.body());
    assertThat(sheet.getString("cpuCoreHour")).isEqualTo("0.031611");
    assertThat(sheet.getString("nodeType")).isEmpty();
    long id = sheet.getLong("id");

    HttpResponse<String> changed = send("PUT", "/price-sheets/" + id, EU.replace("0.031611", "0.0333")
        .replace("\"effectiveFrom\"", "\"effectiveTo\": \"2026-12-01T00:00:00Z\", \"effectiveFrom\""));
    assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
    JsonArray listed = new JsonArray(send("GET", "/price-sheets", null).body());
    assertThat(listed).hasSize(1);
    assertThat(listed.getJsonObject(0).getString("cpuCoreHour")).isEqualTo("0.0333");
    assertThat(listed.getJsonObject(0).getString("effectiveTo")).isEqualTo("2026-12-01T00:00:00Z");

    assertThat(send("DELETE", "/price-sheets/" + id, null).statusCode()).isEqualTo(200);
    assertThat(new JsonArray(send("GET", "/price-sheets", null).body())).isEmpty();
    assertThat(send("DELETE", "/price-sheets/" + id, null).statusCode()).isEqualTo(404);
  }

  @Test
  void badSheetsGet400NamingTheFieldAndNothingIsWritten() throws Exception {
    assertThat(send("POST", "/price-sheets", EU).statusCode()).isEqualTo(201);
    assertBad(send("POST", "/price-sheets", EU.replace("2026-11-01", "2026-11-15")), "effectiveFrom");
    assertBad(send("POST", "/price-sheets", EU.replace("prod-eu", "prod-us").replace("0.031611", "-1")),
        "cpuCoreHour");
    assertBad(send("POST", "/price-sheets", EU.replace("prod-eu", "prod-us").replace("2026-11-01T00:00:00Z", "soon")),
        "effectiveFrom");
    assertBad(send("POST", "/price-sheets", EU.replace("prod-eu", "prod-us").replace("\"0.031611\"", "\"lots\"")),
        "cpuCoreHour");
    assertBad(send("POST", "/price-sheets", "{not json"), "body");
    assertBad(send("PUT", "/price-sheets/abc", EU), "id");
    assertThat(send("PUT", "/price-sheets/999999", EU).statusCode()).isEqualTo(404);
    assertThat(new JsonArray(send("GET", "/price-sheets", null).body())).hasSize(1);
  }

  @Test
  void clustersAreRegisteredListedChangedAndRetired() throws Exception {
    String eu = """
        {"name": "prod-eu", "environment": "production", "region": "eu-west-1", "team": "platform",
         "labels": {"cost-center": "cc-42"}}""";
    assertThat(send("POST", "/clusters", eu).statusCode()).isEqualTo(201);
    assertBad(send("POST", "/clusters", eu), "name");
    assertBad(send("POST", "/clusters", eu.replace("prod-eu", "Prod EU")), "name");
    assertBad(send("POST", "/clusters", eu.replace("\"team\": \"platform\",", "")), "team");
    HttpResponse<String> changed = send("PUT", "/clusters/prod-eu", eu.replace("eu-west-1", "eu-central-1"));
    assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
    JsonArray listed = new JsonArray(send("GET", "/clusters", null).body());
    assertThat(listed).hasSize(1);
    assertThat(listed.getJsonObject(0).getString("region")).isEqualTo("eu-central-1");
    assertThat(listed.getJsonObject(0).getJsonObject("labels").getString("cost-center")).isEqualTo("cc-42");
    assertThat(send("DELETE", "/clusters/prod-eu", null).statusCode()).isEqualTo(200);
    assertThat(send("DELETE", "/clusters/prod-eu", null).statusCode()).isEqualTo(404);
  }

  private static void assertBad(HttpResponse<String> response, String field) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    JsonObject body = new JsonObject(response.body());
    assertThat(body.getString("error")).isEqualTo("bad_parameter");
    assertThat(body.getString("parameter")).isEqualTo(field);
    assertThat(body.getString("message")).isNotEmpty();
  }
}
