package io.fleetlens.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates made for a test with the JDK's keytool: a CA, a server certificate for 127.0.0.1,
 * client certificates it signs ({@code client} for CN=team-a, {@code client-b} for CN=team-b,O=fleet,
 * {@code expired}), and a second CA with a client of its own ({@code stranger}). Key stores are
 * PKCS#12 with the password {@link #PASSWORD}, also written to the file {@code password}.
 */
public final class TestCertificates {

  public static final String PASSWORD = "changeit";

  private final Path dir;

  public TestCertificates(Path dir) throws Exception {
    this.dir = dir;
    ca("ca");
    ca("other-ca");
    signed("server", "ca", "CN=localhost", "SAN=ip:127.0.0.1,dns:localhost", null);
    signed("client", "ca", "CN=team-a", null, null);
    signed("client-b", "ca", "CN=team-b,O=fleet", null, null);
    signed("expired", "ca", "CN=team-a", null, "-3d");
    signed("stranger", "other-ca", "CN=stranger", null, null);
    Files.writeString(dir.resolve("password"), PASSWORD);
  }

  /** The file holding the key stores' password. */
  public Path passwordFile() {
    return dir.resolve("password");
  }

  public Path keyStore(String name) {
    return dir.resolve(name + ".p12");
  }

  public Path pem(String name) {
    return dir.resolve(name + ".pem");
  }

  private void ca(String name) throws Exception {
    keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
        "-ext", "bc:c", "-validity", "3", "-keystore", keyStore(name).toString());
    keytool("-exportcert", "-alias", name, "-rfc", "-file", pem(name).toString(), "-keystore", keyStore(name).toString());
  }

  private void signed(String name, String ca, String dname, String san, String startDate) throws Exception {
    Path store = keyStore(name);
    keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", dname, "-keystore",
        store.toString());
    Path csr = dir.resolve(name + ".csr");
    keytool("-certreq", "-alias", name, "-file", csr.toString(), "-keystore", store.toString());
    List<String> gencert = new ArrayList<>(List.of("-gencert", "-alias", ca, "-infile", csr.toString(), "-outfile",
        pem(name).toString(), "-rfc", "-keystore", keyStore(ca).toString(), "-validity", "1"));
    if (san != null) {
      gencert.addAll(List.of("-ext", san));
    }
    if (startDate != null) {
      gencert.addAll(List.of("-startdate", startDate));
    }
    keytool(gencert.toArray(String[]::new));
    keytool("-importcert", "-alias", ca, "-file", pem(ca).toString(), "-noprompt", "-keystore", store.toString());
    keytool("-importcert", "-alias", name, "-file", pem(name).toString(), "-keystore", store.toString());
  }

  private void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("-storepass", PASSWORD, "-storetype", "PKCS12"));
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (p.waitFor() != 0) {
      throw new IOException("keytool " + String.join(" ", args) + ": " + out);
    }
  }

  /** A client's TLS context: its own key (none for {@code null}) and trust in {@code ca}. */
  public SSLContext client(String name, String ca) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(pem(ca))) {
      trust.setCertificateEntry(ca, java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    if (name != null) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(keyStore(name))) {
        keys.load(in, PASSWORD.toCharArray());
      }
      kmf.init(keys, PASSWORD.toCharArray());
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(name == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return context;
  }
}
