package io.fleetlens.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fleetlens.runtime.Tls;
import io.fleetlens.testkit.TestCertificates;

/**
 * Mutual TLS with client certificates mapped to identities, certificates made in the test: a
 * certificate whose subject a live token names gets that token's roles and tenants without a
 * bearer token; another CA's certificate is not even let in; a certificate of the right CA that no
 * token names is 401; a revoked token's certificate stops within a second.
 */
class CertificateIdentityTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ADMIN = "certificate-admin-secret-0123456789";

  @TempDir
  static Path dir;
  private static TestCertificates certs;
  private static QueryApiMain api;

  @BeforeAll
  static void start() throws Exception {
    certs = new TestCertificates(dir);
    Path adminToken = Files.writeString(dir.resolve("admin.token"), ADMIN);
    api = new QueryApiMain(new QueryApiConfig(new QueryApiConfig.Elasticsearch(List.of("http://127.0.0.1:9"), "mtls"),
        new QueryApiConfig.Promql(1_000, 100, 1_000, 300_000), new QueryApiConfig.Http("127.0.0.1", 0,
            new Tls(certs.keyStore("server").toString(), certs.passwordFile().toString(), certs.pem("ca").toString())),
        QueryApiConfig.Database.inMemory("mtls"), QueryApiConfig.Alerting.defaults().off(),
        new QueryApiConfig.Auth(true, adminToken.toString()), QueryApiConfig.Limits.defaults()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (api != null) {
      api.close();
    }
  }

  private static HttpResponse<String> send(String client, String method, String path, String bearer, String body)
      throws Exception {
    SSLContext tls = certs.client(client, "ca");
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + api.httpPort() + path))
        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) {
      r.header("Authorization", "Bearer " + bearer);
    }
    return HttpClient.newBuilder().sslContext(tls).build().send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aCertificateNamedByALiveTokenStandsForItUntilTheTokenIsRevoked() throws Exception {
    HttpResponse<String> created = send("client", "POST", "/api/v1/admin/tokens", ADMIN, "{\"name\": \"grafana-a\","
        + " \"roles\": [\"metrics:read\"], \"tenants\": [{\"clusters\": \"team-a-.*\"}],"
        + " \"certificateSubject\": \"CN=team-a\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    long id = JSON.readTree(created.body()).path("id").asLong();

    assertThat(send("client", "GET", "/api/v1/rules", null, null).statusCode()).isEqualTo(200);
    HttpResponse<String> admin = send("client", "GET", "/api/v1/admin/tokens", null, null);
    assertThat(admin.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(admin.body()).path("missingRole").asText()).isEqualTo("admin");
    JsonNode listed = JSON.readTree(send("client", "GET", "/api/v1/admin/tokens", ADMIN, null).body()).path("tokens");
    assertThat(listed.toString()).contains("\"certificateSubject\":\"CN=team-a\"");

    HttpResponse<String> unnamed = send("client-b", "GET", "/api/v1/rules", null, null);
    assertThat(unnamed.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(unnamed.body()).path("message").asText()).contains("CN=team-b,O=fleet");
    assertThat(send("client-b", "GET", "/api/v1/rules", ADMIN, null).statusCode())
        .as("a bearer token still works over mutual TLS").isEqualTo(200);

    assertThat(send("client", "DELETE", "/api/v1/admin/tokens/" + id, ADMIN, null).statusCode()).isEqualTo(200);
    Thread.sleep(io.fleetlens.access.AccessStore.CACHE_MS + 100);
    assertThat(send("client", "GET", "/api/v1/rules", null, null).statusCode()).isEqualTo(401);
  }
}
