package io.fleetlens.storage.elasticsearch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Base64;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.message.BasicHeader;

/**
 * How Fleetlens proves itself to Elasticsearch and trusts it, every secret from a file (a mounted
 * Secret), never from the configuration itself: an API key ({@code apiKeyFile}, the encoded key
 * Elasticsearch returns, sent as {@code Authorization: ApiKey ...}) or a user name with its
 * password in {@code passwordFile} (basic authentication); {@code caFile}, PEM certificates to
 * trust for {@code https} hosts instead of the JVM's own CAs. Empty strings leave each unset. The files
 * are read when the client is built: a rotated Secret takes effect at the next start.
 */
public record ElasticsearchSecurity(String username, String passwordFile, String apiKeyFile, String caFile) {

  public static final ElasticsearchSecurity NONE = new ElasticsearchSecurity("", "", "", "");

  public ElasticsearchSecurity {
    username = username == null ? "" : username;
    passwordFile = passwordFile == null ? "" : passwordFile;
    apiKeyFile = apiKeyFile == null ? "" : apiKeyFile;
    caFile = caFile == null ? "" : caFile;
    if (!apiKeyFile.isEmpty() && !username.isEmpty()) {
      throw new IllegalArgumentException("elasticsearch.security: give api-key-file or username, not both");
    }
    if (username.isEmpty() != passwordFile.isEmpty()) {
      throw new IllegalArgumentException("elasticsearch.security: username and password-file go together");
    }
  }

  /** The Authorization header to send with every request, if any. */
  Header[] headers() {
    if (!apiKeyFile.isEmpty()) {
      return new Header[] {new BasicHeader("Authorization", "ApiKey " + secret("api-key-file", apiKeyFile))};
    }
    if (!username.isEmpty()) {
      String pair = username + ":" + secret("password-file", passwordFile);
      return new Header[] {new BasicHeader("Authorization", "Basic "
          + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)))};
    }
    return new Header[0];
  }

  /** The TLS context trusting {@code caFile} and nothing else; null to use the JVM's defaults. */
  SSLContext sslContext() {
    if (caFile.isEmpty()) {
      return null;
    }
    try (InputStream in = Files.newInputStream(Path.of(caFile))) {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        trust.setCertificateEntry("ca-" + i++, c);
      }
      if (i == 0) {
        throw new IllegalArgumentException("elasticsearch.security.ca-file: no PEM certificate in " + caFile);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("elasticsearch.security.ca-file: cannot read " + caFile + ": " + e.getMessage(),
          e);
    }
  }

  private static String secret(String key, String file) {
    try {
      String value = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
      if (value.isEmpty()) {
        throw new IllegalArgumentException("elasticsearch.security." + key + ": " + file + " is empty");
      }
      return value;
    } catch (IOException e) {
      throw new IllegalArgumentException("elasticsearch.security." + key + ": cannot read " + file, e);
    }
  }
}
