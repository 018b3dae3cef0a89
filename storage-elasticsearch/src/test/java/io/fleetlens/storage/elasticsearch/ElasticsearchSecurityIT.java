package io.fleetlens.storage.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.fleetlens.testkit.ElasticsearchFixture;
import io.fleetlens.testkit.RealServers;
import io.fleetlens.testkit.TestCertificates;

/**
 * The client's credentials and trust against the real Elasticsearch. The integration-test
 * distribution has no security module, so a small HTTPS gateway in front of it plays that part:
 * it serves a certificate of a CA made in the test and lets through only requests carrying the
 * API key or the user's password, as Elasticsearch's security would; everything else reaches the
 * real server unchanged.
 */
@ExtendWith(RealServers.class)
class ElasticsearchSecurityIT {

  private static final String API_KEY = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==";
  private static final String PASSWORD = "fleetlens-es-password";
  private static final HttpClient FORWARD = HttpClient.newHttpClient();
  private static final Set<String> PASSED_HEADERS = Set.of("content-type", "content-encoding", "accept");

  @TempDir
  static Path dir;
  private static TestCertificates certs;
  private static HttpsServer gateway;

  @BeforeAll
  static void start(ElasticsearchFixture elasticsearch) throws Exception {
    certs = new TestCertificates(dir);
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(certs.keyStore("server"))) {
      keys.load(in, TestCertificates.PASSWORD.toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, TestCertificates.PASSWORD.toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), null, null);
    gateway = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    gateway.setHttpsConfigurator(new HttpsConfigurator(tls));
    String basic = "Basic " + Base64.getEncoder().encodeToString(("fleetlens:" + PASSWORD)
        .getBytes(StandardCharsets.UTF_8));
    gateway.createContext("/", exchange -> {
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      if (!("ApiKey " + API_KEY).equals(authorization) && !basic.equals(authorization)) {
        byte[] refusal = "{\"error\":{\"type\":\"security_exception\",\"reason\":\"missing authentication credentials\"},\"status\":401}"
            .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(401, refusal.length);
        exchange.getResponseBody().write(refusal);
        exchange.close();
        return;
      }
      try {
        byte[] sent = exchange.getRequestBody().readAllBytes();
        HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(elasticsearch.httpUrl()
            + exchange.getRequestURI())).method(exchange.getRequestMethod(), sent.length == 0
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(sent));
        exchange.getRequestHeaders().forEach((name, values) -> {
          if (PASSED_HEADERS.contains(name.toLowerCase())) {
            values.forEach(v -> forward.header(name, v));
          }
        });
        HttpResponse<byte[]> answer = FORWARD.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
        answer.headers().firstValue("Content-Type").ifPresent(t -> exchange.getResponseHeaders().add("Content-Type", t));
        exchange.getResponseHeaders().add("X-Elastic-Product", "Elasticsearch");
        byte[] body = answer.body();
        exchange.sendResponseHeaders(answer.statusCode(), body.length == 0 ? -1 : body.length);
        exchange.getResponseBody().write(body);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        exchange.close();
      }
    });
    gateway.start();
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.stop(0);
    }
  }

  private static ElasticsearchSettings settings() {
    return new ElasticsearchSettings(List.of("https://127.0.0.1:" + gateway.getAddress().getPort()), "secured", 1, 0,
        "1s", false);
  }

  @Test
  void anApiKeyOrAPasswordFromAFileGetsInOverTlsTrustingTheGivenCa() throws Exception {
    Path key = Files.writeString(dir.resolve("api-key"), API_KEY + "\n");
    try (ElasticsearchClient client = ElasticsearchClients.create(settings(),
        new ElasticsearchSecurity("", "", key.toString(), certs.pem("ca").toString()))) {
      assertThat(client.cluster().health().numberOfNodes()).isEqualTo(1);
      client.index(i -> i.index("secured-probe").id("1").document(java.util.Map.of("line", "hello")).refresh(
          co.elastic.clients.elasticsearch._types.Refresh.True));
      assertThat(client.count(c -> c.index("secured-probe")).count()).isEqualTo(1);
    }
    Path password = Files.writeString(dir.resolve("password-file"), PASSWORD);
    try (ElasticsearchClient client = ElasticsearchClients.create(settings(),
        new ElasticsearchSecurity("fleetlens", password.toString(), "", certs.pem("ca").toString()))) {
      assertThat(client.count(c -> c.index("secured-probe")).count()).isEqualTo(1);
    }
  }

  @Test
  void withoutCredentialsOrWithoutTrustingTheCaNothingGetsThrough() throws Exception {
    try (ElasticsearchClient client = ElasticsearchClients.create(settings(),
        new ElasticsearchSecurity("", "", "", certs.pem("ca").toString()))) {
      assertThatThrownBy(() -> client.cluster().health()).hasMessageContaining("security_exception");
    }
    Path key = Files.writeString(dir.resolve("api-key-2"), API_KEY);
    try (ElasticsearchClient client = ElasticsearchClients.create(settings(),
        new ElasticsearchSecurity("", "", key.toString(), certs.pem("other-ca").toString()))) {
      assertThatThrownBy(() -> client.cluster().health()).hasStackTraceContaining("SSLHandshakeException");
    }
    assertThatThrownBy(() -> new ElasticsearchSecurity("u", "", "", "")).hasMessageContaining("go together");
    assertThatThrownBy(() -> ElasticsearchClients.create(settings(), new ElasticsearchSecurity("", "",
        dir.resolve("missing").toString(), ""))).hasMessageContaining("api-key-file: cannot read")
        .hasMessageNotContaining(API_KEY);
  }
}
