package io.fleetlens.storage.elasticsearch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.FieldSortNumericType;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.query_dsl.Operator;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;

import io.fleetlens.core.logs.LogFilters;
import io.fleetlens.core.logs.LogHit;
import io.fleetlens.core.logs.LogPage;
import io.fleetlens.core.logs.LogQuery;
import io.fleetlens.core.logs.LogSelection;
import io.fleetlens.core.logs.LogStore;
import io.fleetlens.core.metrics.LabelMatcher;
import io.fleetlens.core.logs.StoreUnavailableException;

/** Log search over the daily indices: filters as term queries, text as simple_query_string. */
public final class ElasticsearchLogStore implements LogStore {

  private final ElasticsearchClient client;
  private final LogIndexLayout layout;

  public ElasticsearchLogStore(ElasticsearchClient client, LogIndexLayout layout) {
    this.client = client;
    this.layout = layout;
  }

  public boolean isAvailable() {
    return ElasticsearchHealth.answers(client);
  }

  @Override
  public LogPage search(LogQuery query) throws StoreUnavailableException {
    SearchResponse<LogDocument> response = send(request(query));
    List<Hit<LogDocument>> hits = response.hits().hits();
    int shown = Math.min(hits.size(), query.limit());
    List<LogHit> page = new ArrayList<>(shown);
    for (Hit<LogDocument> hit : hits.subList(0, shown)) {
      page.add(new LogHit(hit.id(), hit.source().toRecord()));
    }
    String next = hits.size() > query.limit() ? SearchCursor.of(hits.get(shown - 1).sort()).encode() : null;
    return new LogPage(page, next);
  }

  @Override
  public long count(LogQuery query) throws StoreUnavailableException {
    try {
      return client.count(c -> c.index(layout.indicesFor(query.start(), query.end()))
          .ignoreUnavailable(true)
          .allowNoIndices(true)
          .query(q -> q.bool(b -> b.filter(filters(query)).must(text(query))))).count();
    } catch (IOException | ElasticsearchException e) {
      throw new StoreUnavailableException("count failed: " + e.getMessage(), e);
    }
  }

  /** At most 10,000 hits a request; larger selections page with search_after. */
  private static final int PAGE = 10_000;

  @Override
  public List<LogHit> select(LogSelection selection) throws StoreUnavailableException {
    List<Query> filters = selectionFilters(selection);
    List<Query> mustNot = selectionExclusions(selection);
    SortOrder order = selection.newestFirst() ? SortOrder.Desc : SortOrder.Asc;
    List<LogHit> out = new ArrayList<>();
    List<co.elastic.clients.elasticsearch._types.FieldValue> after = null;
    while (out.size() < selection.limit()) {
      int size = Math.min(PAGE, selection.limit() - out.size());
      SearchRequest.Builder search = new SearchRequest.Builder()
          .index(layout.indicesFor(selection.start(), selection.end()))
          .ignoreUnavailable(true)
          .allowNoIndices(true)
          .trackTotalHits(t -> t.enabled(false))
          .size(size)
          .query(q -> q.bool(b -> b.filter(filters).mustNot(mustNot)))
          .sort(x -> x.field(f -> f.field("@timestamp").order(order).numericType(FieldSortNumericType.DateNanos)))
          .sort(x -> x.field(f -> f.field("event_id").order(order)));
      if (after != null) {
        search.searchAfter(after);
      }
      List<Hit<LogDocument>> hits = send(search.build()).hits().hits();
      for (Hit<LogDocument> hit : hits) {
        out.add(new LogHit(hit.id(), hit.source().toRecord()));
      }
      if (hits.size() < size) {
        break;
      }
      after = hits.get(hits.size() - 1).sort();
    }
    return out;
  }

  @Override
  public java.util.SortedSet<String> labelNames(LogSelection selection) throws StoreUnavailableException {
    List<String> indices = layout.indicesFor(selection.start(), selection.end());
    java.util.Map<String, Query> exists = new java.util.LinkedHashMap<>();
    for (String name : io.fleetlens.core.logs.StreamLabels.FIXED) {
      exists.put(name, Query.of(q -> q.exists(e -> e.field(StreamLabelFields.field(name)))));
    }
    for (String key : podLabelKeys(indices)) {
      exists.put("labels." + key, Query.of(q -> q.exists(e -> e.field("labels." + key))));
    }
    java.util.SortedSet<String> names = new java.util.TreeSet<>();
    try {
      var response = client.search(x -> x.index(indices).ignoreUnavailable(true).allowNoIndices(true).size(0)
          .query(q -> q.bool(b -> b.filter(selectionFilters(selection)).mustNot(selectionExclusions(selection))))
          .aggregations("names", a -> a.filters(f -> f.filters(k -> k.keyed(exists)))), Void.class);
      if (response.aggregations().get("names") == null) {
        return names;
      }
      response.aggregations().get("names").filters().buckets().keyed().forEach((name, bucket) -> {
        if (bucket.docCount() > 0) {
          names.add(name.startsWith("labels.") ? io.fleetlens.core.logs.StreamLabels.name(name.substring("labels.".length())) : name);
        }
      });
    } catch (IOException | ElasticsearchException e) {
      throw new StoreUnavailableException("label names failed: " + e.getMessage(), e);
    }
    return names;
  }

  @Override
  public java.util.SortedSet<String> labelValues(String name, LogSelection selection)
      throws StoreUnavailableException {
    List<String> indices = layout.indicesFor(selection.start(), selection.end());
    List<String> fields = new ArrayList<>();
    if (io.fleetlens.core.logs.StreamLabels.FIXED.contains(name)) {
      fields.add(StreamLabelFields.field(name));
    } else {
      podLabelKeys(indices).stream().filter(k -> io.fleetlens.core.logs.StreamLabels.name(k).equals(name)).forEach(k -> fields.add(
          "labels." + k));
    }
    java.util.SortedSet<String> values = new java.util.TreeSet<>();
    for (String field : fields) {
      try {
        var response = client.search(x -> x.index(indices).ignoreUnavailable(true).allowNoIndices(true).size(0)
            .query(q -> q.bool(b -> b.filter(selectionFilters(selection)).mustNot(selectionExclusions(selection))))
            .aggregations("values", a -> a.terms(t -> t.field(field).size(selection.limit()))), Void.class);
        var agg = response.aggregations().get("values");
        if (agg != null && agg.isSterms()) {
          agg.sterms().buckets().array().forEach(b -> values.add(b.key().stringValue()));
        }
      } catch (IOException | ElasticsearchException e) {
        throw new StoreUnavailableException("label values failed: " + e.getMessage(), e);
      }
    }
    while (values.size() > selection.limit()) {
      values.remove(values.last());
    }
    return values;
  }

  @Override
  public List<io.fleetlens.core.metrics.Labels> streams(LogSelection selection) throws StoreUnavailableException {
    List<String> indices = layout.indicesFor(selection.start(), selection.end());
    List<String> names = new ArrayList<>();
    List<String> fields = new ArrayList<>();
    for (String name : new java.util.TreeSet<>(io.fleetlens.core.logs.StreamLabels.FIXED)) {
      names.add(name);
      fields.add(StreamLabelFields.field(name));
    }
    for (String key : podLabelKeys(indices)) {
      names.add(io.fleetlens.core.logs.StreamLabels.name(key));
      fields.add("labels." + key);
    }
    List<co.elastic.clients.util.NamedValue<co.elastic.clients.elasticsearch._types.aggregations
        .CompositeAggregationSource>> sources = new ArrayList<>();
    for (int i = 0; i < fields.size(); i++) {
      String field = fields.get(i);
      sources.add(co.elastic.clients.util.NamedValue.of("f" + i, co.elastic.clients.elasticsearch._types.aggregations
          .CompositeAggregationSource.of(c -> c.terms(t -> t.field(field).missingBucket(true)))));
    }
    List<io.fleetlens.core.metrics.Labels> out = new ArrayList<>();
    java.util.Map<String, co.elastic.clients.elasticsearch._types.FieldValue> after = null;
    try {
      while (out.size() < selection.limit()) {
        java.util.Map<String, co.elastic.clients.elasticsearch._types.FieldValue> cursor = after;
        int size = Math.min(1_000, selection.limit() - out.size());
        var response = client.search(x -> x.index(indices).ignoreUnavailable(true).allowNoIndices(true).size(0)
            .query(q -> q.bool(b -> b.filter(selectionFilters(selection)).mustNot(selectionExclusions(selection))))
            .aggregations("streams", a -> a.composite(c -> {
              c.size(size).sources(sources);
              if (cursor != null) {
                c.after(cursor);
              }
              return c;
            })), Void.class);
        var agg = response.aggregations().get("streams");
        if (agg == null) {
          break;
        }
        var composite = agg.composite();
        for (var bucket : composite.buckets().array()) {
          java.util.Map<String, String> labels = new java.util.TreeMap<>();
          for (int i = 0; i < names.size(); i++) {
            var value = bucket.key().get("f" + i);
            if (value != null && !value.isNull()) {
              labels.put(names.get(i), value.stringValue());
            }
          }
          out.add(io.fleetlens.core.metrics.Labels.of(labels));
        }
        if (composite.buckets().array().size() < size || composite.afterKey() == null || composite.afterKey().isEmpty()) {
          break;
        }
        after = new java.util.HashMap<>(composite.afterKey());
      }
    } catch (IOException | ElasticsearchException e) {
      throw new StoreUnavailableException("streams failed: " + e.getMessage(), e);
    }
    return out;
  }

  @Override
  public List<io.fleetlens.core.logs.LogVolume> volume(LogSelection selection, List<String> labels, long stepMillis)
      throws StoreUnavailableException {
    List<String> indices = layout.indicesFor(selection.start(), selection.end());
    List<String> podKeys = labels.stream().allMatch(io.fleetlens.core.logs.StreamLabels.FIXED::contains) ? List.of()
        : podLabelKeys(indices);
    List<co.elastic.clients.util.NamedValue<co.elastic.clients.elasticsearch._types.aggregations
        .CompositeAggregationSource>> sources = new ArrayList<>();
    for (int i = 0; i < labels.size(); i++) {
      String name = labels.get(i);
      String field = io.fleetlens.core.logs.StreamLabels.FIXED.contains(name) ? StreamLabelFields.field(name)
          : podKeys.stream().filter(k -> io.fleetlens.core.logs.StreamLabels.name(k).equals(name)).findFirst()
              .map(k -> "labels." + k).orElse(null);
      if (field != null) {
        sources.add(co.elastic.clients.util.NamedValue.of("f" + i, co.elastic.clients.elasticsearch._types
            .aggregations.CompositeAggregationSource.of(c -> c.terms(t -> t.field(field).missingBucket(true)))));
      }
    }
    long startMillis = selection.start().toEpochMilli();
    if (stepMillis > 0) {
      long offset = Math.floorMod(startMillis, stepMillis);
      sources.add(co.elastic.clients.util.NamedValue.of("t", co.elastic.clients.elasticsearch._types.aggregations
          .CompositeAggregationSource.of(c -> c.dateHistogram(d -> d.field("@timestamp")
              .fixedInterval(t -> t.time(stepMillis + "ms")).offset(t -> t.time(offset + "ms"))))));
    }
    List<io.fleetlens.core.logs.LogVolume> out = new ArrayList<>();
    java.util.Map<String, co.elastic.clients.elasticsearch._types.FieldValue> after = null;
    try {
      if (sources.isEmpty()) { // one bucket, one label set: a count and a sum (composite wants a source)
        var response = client.search(x -> x.index(indices).ignoreUnavailable(true).allowNoIndices(true).size(0)
            .trackTotalHits(t -> t.enabled(true))
            .query(q -> q.bool(b -> b.filter(selectionFilters(selection)).mustNot(selectionExclusions(selection))))
            .aggregations("bytes", b -> b.sum(m -> m.field("bytes"))), Void.class);
        long lines = response.hits().total() == null ? 0 : response.hits().total().value();
        if (lines > 0) {
          out.add(new io.fleetlens.core.logs.LogVolume(io.fleetlens.core.metrics.Labels.of(java.util.Map.of()),
              startMillis, lines, bytesOf(response.aggregations().get("bytes").sum().value())));
        }
        return out;
      }
      while (out.size() < selection.limit()) {
        java.util.Map<String, co.elastic.clients.elasticsearch._types.FieldValue> cursor = after;
        int size = Math.min(PAGE, selection.limit() - out.size());
        var response = client.search(x -> x.index(indices).ignoreUnavailable(true).allowNoIndices(true).size(0)
            .query(q -> q.bool(b -> b.filter(selectionFilters(selection)).mustNot(selectionExclusions(selection))))
            .aggregations("volume", a -> a.composite(c -> {
              c.size(size).sources(sources);
              if (cursor != null) {
                c.after(cursor);
              }
              return c;
            }).aggregations("bytes", b -> b.sum(m -> m.field("bytes")))), Void.class);
        var agg = response.aggregations().get("volume");
        if (agg == null) {
          break;
        }
        var composite = agg.composite();
        for (var bucket : composite.buckets().array()) {
          java.util.Map<String, String> key = new java.util.TreeMap<>();
          for (int i = 0; i < labels.size(); i++) {
            var value = bucket.key().get("f" + i);
            if (value != null && !value.isNull()) {
              key.put(labels.get(i), value.stringValue());
            }
          }
          long bucketStart = stepMillis > 0 ? bucket.key().get("t").longValue() : startMillis;
          out.add(new io.fleetlens.core.logs.LogVolume(io.fleetlens.core.metrics.Labels.of(key), bucketStart,
              bucket.docCount(), bytesOf(bucket.aggregations().get("bytes").sum().value())));
        }
        if (composite.buckets().array().size() < size || composite.afterKey() == null
            || composite.afterKey().isEmpty()) {
          break;
        }
        after = new java.util.HashMap<>(composite.afterKey());
      }
    } catch (IOException | ElasticsearchException e) {
      throw new StoreUnavailableException("log volume failed: " + e.getMessage(), e);
    }
    return out;
  }

  /** A sum of the {@code bytes} field (null over no documents). */
  private static long bytesOf(Double sum) {
    return sum == null ? 0 : sum.longValue();
  }

  /** The pod label keys the indices' mappings hold. */
  private List<String> podLabelKeys(List<String> indices) throws StoreUnavailableException {
    java.util.SortedSet<String> keys = new java.util.TreeSet<>();
    try {
      var mapping = client.indices().getMapping(m -> m.index(indices).ignoreUnavailable(true).allowNoIndices(true));
      mapping.mappings().values().forEach(index -> {
        var labels = index.mappings().properties().get("labels");
        if (labels != null && labels.isObject()) {
          keys.addAll(labels.object().properties().keySet());
        }
      });
    } catch (IOException | ElasticsearchException e) {
      throw new StoreUnavailableException("label names failed: " + e.getMessage(), e);
    }
    return new ArrayList<>(keys);
  }

  private static List<Query> selectionFilters(LogSelection selection) {
    List<Query> filters = new ArrayList<>();
    filters.add(Query.of(q -> q.range(r -> r.date(d -> d.field("@timestamp")
        .gte(selection.start().toString()).lt(selection.end().toString()).format("strict_date_optional_time_nanos")))));
    List<Query> ignored = new ArrayList<>();
    for (LabelMatcher m : selection.matchers()) {
      StreamLabelFields.filter(m, filters, ignored);
    }
    scope(filters, selection.scope());
    return filters;
  }

  private static List<Query> selectionExclusions(LogSelection selection) {
    List<Query> ignored = new ArrayList<>();
    List<Query> mustNot = new ArrayList<>();
    for (LabelMatcher m : selection.matchers()) {
      StreamLabelFields.filter(m, ignored, mustNot);
    }
    return mustNot;
  }

  private SearchRequest request(LogQuery query) {
    SearchRequest.Builder search = new SearchRequest.Builder()
        .index(layout.indicesFor(query.start(), query.end()))
        .ignoreUnavailable(true)
        .allowNoIndices(true)
        .trackTotalHits(t -> t.enabled(false))
        .size(query.limit() + 1)
        .query(q -> q.bool(b -> b.filter(filters(query)).must(text(query))))
        .sort(s -> s.field(f -> f.field("@timestamp").order(SortOrder.Desc).numericType(FieldSortNumericType.DateNanos)))
        .sort(s -> s.field(f -> f.field("event_id").order(SortOrder.Desc)));
    if (query.cursor() != null) {
      search.searchAfter(SearchCursor.decode(query.cursor()).searchAfter());
    }
    return search.build();
  }

  private static List<Query> filters(LogQuery query) {
    List<Query> filters = new ArrayList<>();
    filters.add(Query.of(q -> q.range(r -> r.date(d -> d.field("@timestamp")
        .gte(query.start().toString()).lt(query.end().toString()).format("strict_date_optional_time_nanos")))));
    LogFilters f = query.filters();
    term(filters, "cluster", f.cluster());
    term(filters, "namespace", f.namespace());
    term(filters, "pod", f.pod());
    term(filters, "container", f.container());
    term(filters, "stream", f.stream() == null ? null : f.stream().wireName());
    term(filters, "level", f.level() == null ? null : f.level().wireName());
    term(filters, "workload.name", f.workload());
    f.labels().forEach((key, value) -> term(filters, "labels." + key, value));
    f.fields().forEach((key, value) -> term(filters, "fields." + key, value));
    scope(filters, query.scope());
    return filters;
  }

  /** Only the clusters and namespaces the scope may see. */
  private static void scope(List<Query> filters, io.fleetlens.core.access.Scope scope) {
    if (scope.isAll()) {
      return;
    }
    List<Query> parts = new ArrayList<>();
    for (io.fleetlens.core.access.Scope.Part part : scope.parts()) {
      parts.add(Query.of(q -> q.bool(b -> b
          .filter(Query.of(r -> r.regexp(x -> x.field("cluster").value(part.clusters()))))
          .filter(Query.of(r -> r.regexp(x -> x.field("namespace").value(part.namespaces())))))));
    }
    filters.add(Query.of(q -> q.bool(b -> b.should(parts).minimumShouldMatch("1"))));
  }

  private static void term(List<Query> filters, String field, String value) {
    if (value != null) {
      filters.add(Query.of(q -> q.term(t -> t.field(field).value(value))));
    }
  }

  private static List<Query> text(LogQuery query) {
    if (query.text() == null || query.text().isBlank()) {
      return List.of();
    }
    return List.of(Query.of(q -> q.simpleQueryString(s -> s.query(query.text()).fields("message")
        .defaultOperator(Operator.And))));
  }

  private SearchResponse<LogDocument> send(SearchRequest request) throws StoreUnavailableException {
    try {
      return client.search(request, LogDocument.class);
    } catch (IOException | ElasticsearchException e) {
      throw new StoreUnavailableException("search failed: " + e.getMessage(), e);
    }
  }
}
