package io.fleetlens.aggregator.remotewrite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may remote-write, from a file (a mounted Secret): one sender a line, {@code <cluster>
 * <secret>}, {@code #} for comments. A sender authenticates as Prometheus' {@code basic_auth} does
 * (user name the cluster, password the secret) or with {@code authorization} (a bearer secret), and
 * may write only its own cluster's series. Only SHA-256 digests of the secrets are kept in memory,
 * compared in constant time. The file is read again when it changes, so a rotated Secret takes
 * effect without a restart.
 */
public final class Senders {

  private static final Logger LOG = LoggerFactory.getLogger(Senders.class);
  private static final long RECHECK_MS = 5_000;

  private final Path file;
  private volatile Map<String, byte[]> digests = Map.of();
  private volatile long modified = Long.MIN_VALUE;
  private volatile long checkedAt;

  private Senders(Path file) {
    this.file = file;
    reload();
  }

  /** The senders in {@code file}; IllegalArgumentException naming the line when one cannot be read. */
  public static Senders from(Path file) {
    return new Senders(file);
  }

  /** The cluster that {@code authorization} (an Authorization header) authenticates, if any. */
  public Optional<String> clusterOf(String authorization) {
    if (authorization == null) {
      return Optional.empty();
    }
    refreshIfDue();
    if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
      int colon = decoded.indexOf(':');
      if (colon < 0) {
        return Optional.empty();
      }
      String cluster = decoded.substring(0, colon);
      byte[] expected = digests.get(cluster);
      return expected != null && MessageDigest.isEqual(expected, digest(decoded.substring(colon + 1)))
          ? Optional.of(cluster) : Optional.empty();
    }
    if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      byte[] presented = digest(authorization.substring(7).strip());
      String found = null;
      for (Map.Entry<String, byte[]> e : digests.entrySet()) {
        if (MessageDigest.isEqual(e.getValue(), presented)) {
          found = e.getKey();
        }
      }
      return Optional.ofNullable(found);
    }
    return Optional.empty();
  }

  public int size() {
    return digests.size();
  }

  private void refreshIfDue() {
    long now = System.currentTimeMillis();
    if (now - checkedAt < RECHECK_MS) {
      return;
    }
    checkedAt = now;
    try {
      if (Files.getLastModifiedTime(file).toMillis() != modified) {
        reload();
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("keeping the remote-write senders read before: {}", e.getMessage());
    }
  }

  private synchronized void reload() {
    try {
      long stamp = Files.getLastModifiedTime(file).toMillis();
      Map<String, byte[]> read = new LinkedHashMap<>();
      int number = 0;
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        number++;
        String text = line.strip();
        if (text.isEmpty() || text.startsWith("#")) {
          continue;
        }
        String[] parts = text.split("\\s+");
        if (parts.length != 2 || parts[1].length() < 16) {
          throw new IllegalArgumentException(file + " line " + number
              + ": expected \"<cluster> <secret>\" with a secret of 16 characters or more");
        }
        if (read.put(parts[0], digest(parts[1])) != null) {
          throw new IllegalArgumentException(file + " line " + number + ": cluster " + parts[0] + " is listed twice");
        }
      }
      digests = Map.copyOf(read);
      modified = stamp;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the remote-write senders file " + file, e);
    }
  }

  private static byte[] digest(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
