package io.fleetlens.storage.elasticsearch.metrics;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import io.fleetlens.core.metrics.Labels;

/**
 * Where samples and series lie: samples in one time-series index per UTC day,
 * {@code <prefix>-metrics-yyyy.MM.dd}, each document a sample of one series; series in
 * {@code <prefix>-series}, one document per series with its labels. The series id is the first 128
 * bits of SHA-256 over the sorted label pairs, URL-safe base64.
 */
public final class MetricIndexLayout {

  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy.MM.dd").withZone(ZoneOffset.UTC);

  private final String prefix;

  public MetricIndexLayout(String prefix) {
    this.prefix = prefix;
  }

  public String sampleIndex(long timeMs) {
    return prefix + "-metrics-" + DAY.format(Instant.ofEpochMilli(timeMs));
  }

  public LocalDate day(long timeMs) {
    return Instant.ofEpochMilli(timeMs).atZone(ZoneOffset.UTC).toLocalDate();
  }

  public String sampleIndex(LocalDate day) {
    return prefix + "-metrics-" + DAY.format(day.atStartOfDay(ZoneOffset.UTC));
  }

  public String samplePattern() {
    return prefix + "-metrics-*";
  }

  /** The daily indices a time range touches, or the whole pattern when it spans more than 62 days. */
  public List<String> sampleIndices(long fromMs, long toMs) {
    LocalDate from = day(fromMs);
    LocalDate to = day(toMs);
    if (from.plusDays(62).isBefore(to)) {
      return List.of(samplePattern());
    }
    List<String> indices = new java.util.ArrayList<>();
    for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
      indices.add(sampleIndex(d));
    }
    return indices;
  }

  public String seriesIndex() {
    return prefix + "-series";
  }

  public static String seriesId(Labels labels) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (int i = 0; i < labels.size(); i++) {
        sha.update(labels.name(i).getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0xff);
        sha.update(labels.value(i).getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0xff);
      }
      return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(sha.digest(), 16));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
