package io.fleetlens.runtime;

/**
 * TLS for an HTTP listener: the server's key and certificate chain in a PKCS#12 file with its
 * password in another file (a mounted Secret, never the configuration itself), and optionally the
 * PEM certificate of the CA whose client certificates are required (mutual TLS). An empty
 * {@code keyStoreFile} means plain HTTP.
 */
public record Tls(String keyStoreFile, String keyStorePasswordFile, String clientCaFile) {

  public static final Tls OFF = new Tls("", "", "");

  public Tls {
    keyStoreFile = keyStoreFile == null ? "" : keyStoreFile;
    keyStorePasswordFile = keyStorePasswordFile == null ? "" : keyStorePasswordFile;
    clientCaFile = clientCaFile == null ? "" : clientCaFile;
  }

  public boolean enabled() {
    return !keyStoreFile.isEmpty();
  }

  public boolean mutual() {
    return !clientCaFile.isEmpty();
  }
}
