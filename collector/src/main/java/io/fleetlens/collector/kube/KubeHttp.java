package io.fleetlens.collector.kube;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.net.Socket;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * GETs JSON from the kubelet or the API server the way a pod does: the service account's bearer
 * token (read again for every request, since projected tokens are renewed), TLS checked against the
 * service account's CA bundle. Kubelets often serve a self-signed certificate; for those,
 * {@code insecureSkipTlsVerify} accepts any certificate, as Prometheus and Fluent Bit allow too.
 */
public final class KubeHttp {

  private final HttpClient client;
  private final Path tokenFile;
  private final Duration timeout;

  public KubeHttp(Path tokenFile, Path caFile, boolean insecureSkipTlsVerify, Duration timeout) {
    this.tokenFile = tokenFile;
    this.timeout = timeout;
    this.client = HttpClient.newBuilder()
        .connectTimeout(timeout)
        .sslContext(sslContext(caFile, insecureSkipTlsVerify))
        .build();
  }

  /** The body of a 200 answer; anything else is an IOException naming the URL and status. */
  public byte[] get(URI url) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout).header("Accept", "application/json");
    if (tokenFile != null && Files.isReadable(tokenFile)) {
      request.header("Authorization", "Bearer " + Files.readString(tokenFile, StandardCharsets.UTF_8).strip());
    }
    HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      String body = new String(response.body(), 0, Math.min(response.body().length, 300), StandardCharsets.UTF_8);
      throw new IOException("GET " + url + " answered " + response.statusCode() + ": " + body.strip());
    }
    return response.body();
  }

  private static SSLContext sslContext(Path caFile, boolean insecure) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      if (insecure) {
        context.init(null, new TrustManager[] {new TrustingAnything()}, new SecureRandom());
      } else if (caFile != null && Files.isReadable(caFile)) {
        context.init(null, trustManagers(caFile), new SecureRandom());
      } else {
        context.init(null, null, new SecureRandom());
      }
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("cannot use the CA bundle " + caFile + ": " + e.getMessage(), e);
    }
  }

  private static TrustManager[] trustManagers(Path caFile) throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    int n = 0;
    try (InputStream in = Files.newInputStream(caFile)) {
      for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("ca-" + n++, certificate);
      }
    }
    if (n == 0) {
      throw new GeneralSecurityException("no certificate in it");
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    return factory.getTrustManagers();
  }

  /** Accepts every server certificate and host name: only when the configuration asks for it. */
  private static final class TrustingAnything extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
