package io.fleetlens.storage.elasticsearch.metrics;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;

/**
 * Visits every hit of a query over some indices in index order: one search when every hit fits
 * one page (most reads of chunks), else a point in time, pages sorted by {@code _shard_doc}, each
 * continuing where the last ended. Elasticsearch sorts nothing, and the hits of one time-series
 * index come grouped by series. Indices that do not exist are skipped.
 */
final class PointInTimeScan {

  private static final int PAGE = 10_000;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PointInTimeScan.class);

  private PointInTimeScan() {
  }

  static <T> void scan(ElasticsearchClient client, List<String> indices, Consumer<SearchRequest.Builder> shape,
      Class<T> type, Consumer<Hit<T>> each) throws IOException {
    SearchResponse<T> whole;
    long t0 = System.nanoTime();
    try {
      whole = client.search(s -> {
        s.index(indices).ignoreUnavailable(true).allowNoIndices(true).size(PAGE)
            .trackTotalHits(t -> t.enabled(false)).sort(o -> o.field(f -> f.field("_doc").order(SortOrder.Asc)));
        shape.accept(s);
        return s;
      }, type);
    } catch (ElasticsearchException e) {
      if ("index_not_found_exception".equals(e.error().type())) {
        return;
      }
      throw e;
    }
    if (whole.hits().hits().size() < PAGE) {
      long t1 = System.nanoTime();
      whole.hits().hits().forEach(each);
      if (LOG.isDebugEnabled()) {
        LOG.debug("{} hits of {}: {} ms in Elasticsearch, {} ms until parsed, {} ms visited", whole.hits().hits().size(),
            indices, whole.took(), (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
      }
      return;
    }
    String pit;
    try {
      pit = client.openPointInTime(o -> o.index(indices).keepAlive(k -> k.time("2m")).ignoreUnavailable(true)
          .allowPartialSearchResults(false)).id();
    } catch (ElasticsearchException e) {
      if ("index_not_found_exception".equals(e.error().type())) {
        return;
      }
      throw e;
    }
    try {
      List<FieldValue> after = null;
      while (true) {
        List<FieldValue> cursor = after;
        SearchResponse<T> page = client.search(s -> {
          s.pit(p -> p.id(pit).keepAlive(k -> k.time("2m"))).size(PAGE).trackTotalHits(t -> t.enabled(false))
              .sort(o -> o.field(f -> f.field("_shard_doc").order(SortOrder.Asc)));
          shape.accept(s);
          if (cursor != null) {
            s.searchAfter(cursor);
          }
          return s;
        }, type);
        List<Hit<T>> hits = page.hits().hits();
        hits.forEach(each);
        if (hits.size() < PAGE) {
          return;
        }
        after = hits.get(hits.size() - 1).sort();
      }
    } finally {
      try {
        client.closePointInTime(c -> c.id(pit));
      } catch (IOException | ElasticsearchException e) {
        // it expires by itself
      }
    }
  }
}
