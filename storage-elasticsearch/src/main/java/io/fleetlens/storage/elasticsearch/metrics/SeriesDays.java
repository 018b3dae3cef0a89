package io.fleetlens.storage.elasticsearch.metrics;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.MgetResponse;

import io.fleetlens.core.logs.StoreUnavailableException;
import io.fleetlens.core.metrics.Labels;

/**
 * Keeps each series document's {@code first_seen} and {@code last_seen}: the UTC days (their start,
 * in ms) of its oldest and newest sample. The label and series endpoints use them to answer for a
 * time range, the reader to skip series with no sample in its range, and retention to delete series
 * whose samples are gone. A series is written when it is new or a sample moves one of its days; what
 * this process last wrote is remembered, and a series it has not written yet is looked up first so
 * a day never moves back. The Kafka key puts all samples of a series in one partition, so one
 * process at a time writes a series.
 */
final class SeriesDays {

  static final long DAY_MS = 86_400_000L;

  private final ElasticsearchClient client;
  private final MetricIndexLayout layout;
  private final Map<String, Span> known = new ConcurrentHashMap<>();

  SeriesDays(ElasticsearchClient client, MetricIndexLayout layout) {
    this.client = client;
    this.layout = layout;
  }

  /** The days of one series' samples. */
  record Span(long first, long last) {
    Span with(long day) {
      return new Span(Math.min(first, day), Math.max(last, day));
    }
  }

  /** A write of one series document that a batch needs. */
  record Change(String id, Labels labels, Span span, boolean isNew) {
  }

  static long day(long timeMs) {
    return Math.floorDiv(timeMs, DAY_MS) * DAY_MS;
  }

  /** The series documents to write for a batch: sample {@code k} has series {@code ids[k]}. */
  List<Change> changes(List<Labels> labels, List<String> ids, List<Long> times) throws StoreUnavailableException {
    Map<String, Span> wanted = new LinkedHashMap<>();
    Map<String, Labels> labelsOf = new LinkedHashMap<>();
    for (int k = 0; k < ids.size(); k++) {
      long day = day(times.get(k));
      String id = ids.get(k);
      Span seen = known.get(id);
      if (seen == null || day < seen.first() || day > seen.last()) {
        wanted.merge(id, new Span(day, day), (a, b) -> a.with(b.first()).with(b.last()));
        labelsOf.putIfAbsent(id, labels.get(k));
      }
    }
    lookUp(wanted.keySet().stream().filter(id -> !known.containsKey(id)).toList());
    return wanted.entrySet().stream().map(e -> {
      Span before = known.get(e.getKey());
      Span after = before == null ? e.getValue() : before.with(e.getValue().first()).with(e.getValue().last());
      return before != null && before.equals(after) ? null
          : new Change(e.getKey(), labelsOf.get(e.getKey()), after, before == null);
    }).filter(java.util.Objects::nonNull).toList();
  }

  void addTo(BulkRequest.Builder bulk, Change change) {
    Map<String, Object> days = Map.of("first_seen", change.span().first(), "last_seen", change.span().last());
    Map<String, Object> whole = new LinkedHashMap<>();
    whole.put("series_id", change.id());
    whole.put("name", change.labels().metricName());
    Map<String, String> labels = new TreeMap<>(change.labels().toMap());
    labels.remove(Labels.METRIC_NAME);
    whole.put("labels", labels);
    whole.putAll(days);
    bulk.operations(op -> op.update(u -> u.index(layout.seriesIndex()).id(change.id())
        .action(a -> a.doc(days).upsert(whole))));
  }

  /** The change is stored. */
  /**
   * Sends a bulk request whose first operations are {@code changes} ({@link #addTo}), marks those
   * that were written, and returns every item of the answer.
   */
  List<co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem> send(BulkRequest.Builder bulk, List<Change> changes)
      throws StoreUnavailableException {
    List<co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem> items;
    try {
      items = client.bulk(bulk.build()).items();
    } catch (IOException | ElasticsearchException e) {
      throw new StoreUnavailableException("bulk request failed: " + e.getMessage(), e);
    }
    for (int k = 0; k < changes.size(); k++) {
      if (items.get(k).error() == null) {
        written(changes.get(k));
      }
    }
    return items;
  }

  void written(Change change) {
    known.put(change.id(), change.span());
  }

  boolean isKnown(String id) {
    return known.containsKey(id);
  }

  private void lookUp(List<String> ids) throws StoreUnavailableException {
    if (ids.isEmpty()) {
      return;
    }
    try {
      MgetResponse<Map> found = client.mget(m -> m.index(layout.seriesIndex()).ids(ids)
          .sourceIncludes("first_seen", "last_seen"), Map.class);
      for (var doc : found.docs()) {
        if (doc.isResult() && doc.result().found()
            && doc.result().source().get("first_seen") instanceof Number first
            && doc.result().source().get("last_seen") instanceof Number last) {
          known.put(doc.result().id(), new Span(first.longValue(), last.longValue()));
        }
      }
    } catch (IOException | ElasticsearchException e) {
      throw new StoreUnavailableException("cannot read series documents: " + e.getMessage(), e);
    }
  }
}
