package io.fleetlens.alerting.evaluation;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fingerprint Prometheus and Alertmanager give a label set: FNV-1a (64 bits) over each name and
 * value in name order, each followed by the byte 0xff, printed as 16 hex digits. Receivers key
 * alerts by it, so it must be the same number Alertmanager would send.
 */
public final class Fingerprint {

  private static final long OFFSET = 0xcbf29ce484222325L;
  private static final long PRIME = 0x100000001b3L;

  private Fingerprint() {
  }

  public static String of(Map<String, String> labels) {
    long h = OFFSET;
    for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
      h = add(h, e.getKey());
      h = add(h, e.getValue());
    }
    return String.format("%016x", h);
  }

  private static long add(long h, String s) {
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= PRIME;
    }
    h ^= 0xff;
    return h * PRIME;
  }
}
