package io.fleetlens.storage.elasticsearch.metrics;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.OptionalLong;

import io.fleetlens.core.metrics.Labels;

/**
 * Where samples and series lie. Time is cut into two-hour windows (UTC, starting at even hours).
 * A sample is first written, one document per sample, to its window's time-series index
 * {@code <prefix>-samples-yyyy.MM.dd-HH}; once the window is over, the compactor packs each
 * series' samples of that window into one chunk document in the day's
 * {@code <prefix>-chunks-yyyy.MM.dd} (id {@code <series id>:<window start ms>}) and deletes the
 * window's sample index. Series are in {@code <prefix>-series}, one document per series with its
 * labels. The series id is the first 128 bits of SHA-256 over the sorted label pairs, URL-safe
 * base64.
 */
public final class MetricIndexLayout {

  /** The compaction window: as long as a Prometheus head block. */
  public static final long WINDOW_MS = 2 * 3_600_000L;

  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy.MM.dd").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter WINDOW = DateTimeFormatter.ofPattern("yyyy.MM.dd-HH").withZone(ZoneOffset.UTC);
  private static final int MAX_WINDOW_NAMES = 24;
  private static final int MAX_DAY_NAMES = 62;

  private final String prefix;

  public MetricIndexLayout(String prefix) {
    this.prefix = prefix;
  }

  public static long windowStart(long timeMs) {
    return Math.floorDiv(timeMs, WINDOW_MS) * WINDOW_MS;
  }

  /** The sample index of the window holding {@code timeMs}. */
  public String sampleIndex(long timeMs) {
    return samplePrefix() + WINDOW.format(Instant.ofEpochMilli(windowStart(timeMs)));
  }

  public String samplePattern() {
    return samplePrefix() + "*";
  }

  /** The start of the window a sample index holds, or empty for a name that is not one. */
  public OptionalLong windowOf(String sampleIndex) {
    if (!sampleIndex.startsWith(samplePrefix())) {
      return OptionalLong.empty();
    }
    try {
      LocalDateTime start = LocalDateTime.parse(sampleIndex.substring(samplePrefix().length()), WINDOW);
      long ms = start.toInstant(ZoneOffset.UTC).toEpochMilli();
      return ms == windowStart(ms) ? OptionalLong.of(ms) : OptionalLong.empty();
    } catch (DateTimeParseException e) {
      return OptionalLong.empty();
    }
  }

  /** The sample indices a time range touches, or the pattern when it spans more than two days. */
  public List<String> sampleIndices(long fromMs, long toMs) {
    long first = windowStart(fromMs);
    long last = windowStart(toMs);
    if ((last - first) / WINDOW_MS >= MAX_WINDOW_NAMES) {
      return List.of(samplePattern());
    }
    List<String> indices = new ArrayList<>();
    for (long w = first; w <= last; w += WINDOW_MS) {
      indices.add(sampleIndex(w));
    }
    return indices;
  }

  public String chunkIndex(long windowStartMs) {
    return chunkPrefix() + DAY.format(Instant.ofEpochMilli(windowStartMs));
  }

  public String chunkPattern() {
    return chunkPrefix() + "*";
  }

  /** The chunk indices a time range touches, or the pattern when it spans more than 62 days. */
  public List<String> chunkIndices(long fromMs, long toMs) {
    LocalDate from = day(windowStart(fromMs));
    LocalDate to = day(toMs);
    if (from.plusDays(MAX_DAY_NAMES).isBefore(to)) {
      return List.of(chunkPattern());
    }
    List<String> indices = new ArrayList<>();
    for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
      indices.add(chunkPrefix() + DAY.format(d.atStartOfDay(ZoneOffset.UTC)));
    }
    return indices;
  }

  public static String chunkId(String seriesId, long windowStartMs) {
    return seriesId + ":" + windowStartMs;
  }

  public String samplePrefix() {
    return prefix + "-samples-";
  }

  public String chunkPrefix() {
    return prefix + "-chunks-";
  }

  public String seriesIndex() {
    return prefix + "-series";
  }

  /** What each metric is: type, help and unit. */
  public String metadataIndex() {
    return prefix + "-metadata";
  }

  /** Where compactors record which window each of them is working on. */
  public String compactionIndex() {
    return prefix + "-compactions";
  }

  private static LocalDate day(long timeMs) {
    return Instant.ofEpochMilli(timeMs).atZone(ZoneOffset.UTC).toLocalDate();
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
