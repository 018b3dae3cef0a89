package io.fleetlens.storage.elasticsearch;

import java.io.IOException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;

/**
 * Deletes indices older than their retention: {@code <prefix>-logs-yyyy.MM.dd} after
 * {@code logDays}; the metric indices {@code <prefix>-chunks-yyyy.MM.dd} and
 * {@code <prefix>-samples-yyyy.MM.dd-HH} after {@code metricDays} (0 keeps them forever). An
 * index is deleted whole once its whole day is past the retention.
 */
public final class IndexRetention {

  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy.MM.dd");

  private final ElasticsearchClient client;
  private final String prefix;
  private final int logDays;
  private final int metricDays;

  public IndexRetention(ElasticsearchClient client, String prefix, int logDays, int metricDays) {
    this.client = client;
    this.prefix = prefix;
    this.logDays = logDays;
    this.metricDays = metricDays;
  }

  /** Deletes what is past retention on {@code today} (UTC); returns the indices deleted. */
  public List<String> apply(LocalDate today) throws IOException {
    List<String> expired = new ArrayList<>();
    expired.addAll(expired(prefix + "-logs-", logDays, today));
    expired.addAll(expired(prefix + "-chunks-", metricDays, today));
    expired.addAll(expired(prefix + "-samples-", metricDays, today));
    if (!expired.isEmpty()) {
      client.indices().delete(d -> d.index(expired).ignoreUnavailable(true));
    }
    return expired;
  }

  private List<String> expired(String namePrefix, int days, LocalDate today) throws IOException {
    List<String> expired = new ArrayList<>();
    if (days <= 0) {
      return expired;
    }
    LocalDate oldestKept = today.minusDays(days - 1L);
    try {
      for (String index : client.indices().get(g -> g.index(namePrefix + "*").ignoreUnavailable(true)
          .allowNoIndices(true)).indices().keySet()) {
        try {
          String suffix = index.substring(namePrefix.length());
          if (suffix.length() > 10 && suffix.charAt(10) != '-') {
            continue;
          }
          LocalDate day = LocalDate.parse(suffix.substring(0, Math.min(10, suffix.length())), DAY);
          if (day.isBefore(oldestKept)) {
            expired.add(index);
          }
        } catch (DateTimeParseException notDaily) {
          // not one of ours
        }
      }
    } catch (ElasticsearchException e) {
      throw new IOException("cannot list " + namePrefix + "*: " + e.getMessage(), e);
    }
    return expired;
  }
}
