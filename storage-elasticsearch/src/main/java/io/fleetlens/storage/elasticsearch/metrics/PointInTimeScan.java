package io.fleetlens.storage.elasticsearch.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import co.elastic.clients.transport.endpoints.BinaryEndpoint;
import co.elastic.clients.transport.endpoints.BinaryResponse;

/**
 * Visits every hit of a query over some indices in index order: one search when every hit fits
 * one page (most reads of chunks), else a point in time, pages sorted by {@code _shard_doc}, each
 * continuing where the last ended. Elasticsearch sorts nothing, and the hits of one time-series
 * index come grouped by series. Indices that do not exist are skipped. Requests are built with the
 * Java client's typed builder; their answers are read by {@link DocValueHit}, not by the client.
 */
final class PointInTimeScan {

  private static final int PAGE = 10_000;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PointInTimeScan.class);

  /** The Java client's search, its answer left as bytes and cut to what {@link DocValueHit} reads. */
  private static final BinaryEndpoint<SearchRequest> SEARCH = new BinaryEndpoint<>("fleetlens.search",
      SearchRequest._ENDPOINT::method, SearchRequest._ENDPOINT::requestUrl, SearchRequest._ENDPOINT::pathParameters,
      request -> {
        Map<String, String> params = new HashMap<>(SearchRequest._ENDPOINT.queryParameters(request));
        params.put("filter_path", DocValueHit.FILTER_PATH);
        return params;
      }, SearchRequest._ENDPOINT::headers, SearchRequest._ENDPOINT::body, null);

  private PointInTimeScan() {
  }

  static void scan(ElasticsearchClient client, List<String> indices, Consumer<SearchRequest.Builder> shape,
      Consumer<DocValueHit> each) throws IOException {
    long t0 = System.nanoTime();
    List<DocValueHit> whole = new ArrayList<>();
    DocValueHit.Page page;
    try {
      page = search(client, SearchRequest.of(s -> {
        s.index(indices).ignoreUnavailable(true).allowNoIndices(true).size(PAGE)
            .trackTotalHits(t -> t.enabled(false)).sort(o -> o.field(f -> f.field("_doc").order(SortOrder.Asc)));
        shape.accept(s);
        return s;
      }), whole::add);
    } catch (ElasticsearchException e) {
      if ("index_not_found_exception".equals(e.error().type())) {
        return;
      }
      throw e;
    }
    if (page.hits() < PAGE) {
      long t1 = System.nanoTime();
      whole.forEach(each);
      if (LOG.isDebugEnabled()) {
        LOG.debug("{} hits of {}: {} ms in Elasticsearch, {} ms until parsed, {} ms visited", page.hits(), indices,
            page.tookMs(), (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
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
      long after = -1;
      while (true) {
        long cursor = after;
        DocValueHit.Page next = search(client, SearchRequest.of(s -> {
          s.pit(p -> p.id(pit).keepAlive(k -> k.time("2m"))).size(PAGE).trackTotalHits(t -> t.enabled(false))
              .sort(o -> o.field(f -> f.field("_shard_doc").order(SortOrder.Asc)));
          shape.accept(s);
          if (cursor >= 0) {
            s.searchAfter(FieldValue.of(cursor));
          }
          return s;
        }), each);
        if (next.hits() < PAGE) {
          return;
        }
        after = next.lastSort();
      }
    } finally {
      try {
        client.closePointInTime(c -> c.id(pit));
      } catch (IOException | ElasticsearchException e) {
        // it expires by itself
      }
    }
  }

  private static DocValueHit.Page search(ElasticsearchClient client, SearchRequest request,
      Consumer<DocValueHit> each) throws IOException {
    try (BinaryResponse response = client._transport().performRequest(request, SEARCH, client._transportOptions());
        InputStream answer = response.content()) {
      return DocValueHit.parse(answer, each);
    }
  }
}
