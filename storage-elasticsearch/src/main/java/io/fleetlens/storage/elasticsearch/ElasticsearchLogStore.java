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
import io.fleetlens.core.logs.LogStore;
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
    if (!query.scope().isAll()) {
      List<Query> parts = new ArrayList<>();
      for (io.fleetlens.core.access.Scope.Part part : query.scope().parts()) {
        parts.add(Query.of(q -> q.bool(b -> b
            .filter(Query.of(r -> r.regexp(x -> x.field("cluster").value(part.clusters()))))
            .filter(Query.of(r -> r.regexp(x -> x.field("namespace").value(part.namespaces())))))));
      }
      filters.add(Query.of(q -> q.bool(b -> b.should(parts).minimumShouldMatch("1"))));
    }
    return filters;
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
