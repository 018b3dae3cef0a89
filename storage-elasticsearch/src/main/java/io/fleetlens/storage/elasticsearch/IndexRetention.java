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
 * index is deleted whole once its whole day is past the retention; a series document goes when its
 * newest sample's day is.
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
    if (metricDays > 0) {
      forgetSeries(today.minusDays(metricDays - 1L).atStartOfDay(java.time.ZoneOffset.UTC).toInstant().toEpochMilli());
    }
    return expired;
  }

  /** Deletes the series documents whose newest sample is older than {@code oldestKeptMs}. */
  private void forgetSeries(long oldestKeptMs) throws IOException {
    String index = prefix + "-series";
    try {
      while (true) {
        var page = client.search(s -> s.index(index).size(5_000).source(src -> src.fetch(false))
            .ignoreUnavailable(true).allowNoIndices(true)
            .query(q -> q.range(r -> r.date(d -> d.field("last_seen").lt(Long.toString(oldestKeptMs))
                .format("epoch_millis")))), Void.class);
        if (page.hits().hits().isEmpty()) {
          return;
        }
        var bulk = new co.elastic.clients.elasticsearch.core.BulkRequest.Builder()
            .refresh(co.elastic.clients.elasticsearch._types.Refresh.True);
        page.hits().hits().forEach(hit -> bulk.operations(op -> op.delete(d -> d.index(index).id(hit.id()))));
        client.bulk(bulk.build());
      }
    } catch (ElasticsearchException e) {
      throw new IOException("cannot delete series past retention: " + e.getMessage(), e);
    }
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
