package io.fleetlens.collector.kube;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * Stands in for a kubelet, which cannot run here: serves a pod list in the kubelet's own format over
 * HTTPS with a certificate made for 127.0.0.1 (by the JDK's keytool), and answers 401 unless the
 * request carries the expected bearer token. Tests change the body to make pods come and go.
 */
public final class RecordedKubelet implements AutoCloseable {

  public static final String TOKEN = "test-service-account-token";
  private static final String PASSWORD = "changeit";

  private final HttpsServer server;
  private final Path caFile;
  private final Path tokenFile;
  private final AtomicReference<byte[]> pods = new AtomicReference<>();
  private final AtomicInteger requests = new AtomicInteger();

  public RecordedKubelet(Path work, byte[] podList) throws Exception {
    Files.createDirectories(work);
    Path keystore = work.resolve("kubelet.p12");
    caFile = work.resolve("ca.crt");
    tokenFile = Files.writeString(work.resolve("token"), TOKEN + "\n");
    keytool("-genkeypair", "-alias", "kubelet", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=node-a",
        "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-keystore", keystore.toString(),
        "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
    keytool("-exportcert", "-rfc", "-alias", "kubelet", "-keystore", keystore.toString(), "-storepass", PASSWORD,
        "-file", caFile.toString());
    pods.set(podList);
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(sslContext(keystore)));
    server.createContext("/pods", exchange -> {
      requests.incrementAndGet();
      boolean authorized = ("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"));
      byte[] body = authorized ? pods.get() : "Unauthorized".getBytes();
      exchange.getResponseHeaders().set("Content-Type", authorized ? "application/json" : "text/plain");
      exchange.sendResponseHeaders(authorized ? 200 : 401, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
  }

  private static SSLContext sslContext(Path keystore) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, PASSWORD.toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException("keytool failed: " + output);
    }
  }

  public URI url() {
    return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
  }

  public Path caFile() {
    return caFile;
  }

  public Path tokenFile() {
    return tokenFile;
  }

  public void serve(byte[] podList) {
    pods.set(podList);
  }

  public int requests() {
    return requests.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
