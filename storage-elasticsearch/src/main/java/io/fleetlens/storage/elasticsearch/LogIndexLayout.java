package io.fleetlens.storage.elasticsearch;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import io.fleetlens.core.logs.LogRecord;

/**
 * How log records lie in Elasticsearch: one index per UTC day named {@code <prefix>-logs-yyyy.MM.dd},
 * all created from the index template {@code <prefix>-logs}, and a document id derived from the
 * record's origin so that a replayed record lands on the document it made the first time.
 */
public final class LogIndexLayout {

  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy.MM.dd").withZone(ZoneOffset.UTC);
  private static final int MAX_LISTED_DAYS = 62;

  private final String prefix;

  public LogIndexLayout(String prefix) {
    if (!prefix.matches("[a-z0-9][a-z0-9_.-]*")) {
      throw new IllegalArgumentException("index prefix must be lowercase letters, digits, '-', '_' or '.': " + prefix);
    }
    this.prefix = prefix;
  }

  public String templateName() {
    return prefix + "-logs";
  }

  public String indexPattern() {
    return prefix + "-logs-*";
  }

  public String indexFor(Instant timestamp) {
    return prefix + "-logs-" + DAY.format(timestamp);
  }

  /** The daily indices a time range touches, or the whole pattern for very long ranges. */
  public List<String> indicesFor(Instant start, Instant end) {
    LocalDate first = LocalDate.ofInstant(start, ZoneOffset.UTC);
    LocalDate last = LocalDate.ofInstant(end, ZoneOffset.UTC);
    if (first.plusDays(MAX_LISTED_DAYS).isBefore(last)) {
      return List.of(indexPattern());
    }
    List<String> indices = new ArrayList<>();
    for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
      indices.add(indexFor(day.atStartOfDay(ZoneOffset.UTC).toInstant()));
    }
    return indices;
  }

  /** 160 bits of SHA-256 over cluster, node, file identity and offset, URL-safe base64. */
  public static String documentId(LogRecord record) {
    String origin = record.cluster() + '\0' + record.node() + '\0' + record.origin().fileId() + '\0'
        + record.origin().offset();
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(origin.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 20));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
