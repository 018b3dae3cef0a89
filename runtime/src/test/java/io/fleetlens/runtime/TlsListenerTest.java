package io.fleetlens.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fleetlens.testkit.TestCertificates;

/**
 * An app's listener with TLS and required client certificates, with certificates made in the test:
 * a client of the right CA gets in; an expired certificate, another CA's certificate, no
 * certificate and plain HTTP do not.
 */
class TlsListenerTest {

  @TempDir
  static Path dir;
  private static TestCertificates certs;
  private static AppHttpServer server;

  @BeforeAll
  static void start() throws Exception {
    certs = new TestCertificates(dir);
    server = new AppHttpServer(new Readiness(), Metrics.registry("tls-test"));
    server.listen("127.0.0.1", 0, new Tls(certs.keyStore("server").toString(), dir.resolve("password").toString(),
        certs.pem("ca").toString()));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static int get(SSLContext tls, String scheme) throws Exception {
    HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if (tls != null) {
      client.sslContext(tls);
    }
    return client.build().send(HttpRequest.newBuilder(URI.create(scheme + "://127.0.0.1:" + server.port() + "/healthz"))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  @Test
  void aClientWithACertificateOfTheRightCaGetsIn() throws Exception {
    assertThat(get(certs.client("client", "ca"), "https")).isEqualTo(200);
  }

  @Test
  void anExpiredCertificateIsRefused() {
    assertThatThrownBy(() -> get(certs.client("expired", "ca"), "https")).isInstanceOf(IOException.class);
  }

  @Test
  void aCertificateOfAnotherCaIsRefused() {
    assertThatThrownBy(() -> get(certs.client("stranger", "ca"), "https")).isInstanceOf(IOException.class);
  }

  @Test
  void noCertificateAndPlainHttpAreRefused() {
    assertThatThrownBy(() -> get(certs.client(null, "ca"), "https")).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> get(null, "http")).isInstanceOf(IOException.class);
  }

  @Test
  void aClientThatDoesNotTrustTheServersCaDoesNotConnect() {
    assertThatThrownBy(() -> get(certs.client("stranger", "other-ca"), "https")).isInstanceOf(IOException.class);
  }
}
