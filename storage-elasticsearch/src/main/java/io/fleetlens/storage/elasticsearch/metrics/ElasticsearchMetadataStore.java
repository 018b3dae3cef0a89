package io.fleetlens.storage.elasticsearch.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;

import io.fleetlens.core.logs.StoreUnavailableException;
import io.fleetlens.core.logs.WriteOutcome;
import io.fleetlens.core.metrics.MetricMetadata;

/**
 * What each metric is (type, help, unit), one document per distinct description in
 * {@code <prefix>-metadata}, id from a hash of all four fields: the same description written again
 * is the same document. Read back for {@code /api/v1/metadata}.
 */
public final class ElasticsearchMetadataStore {

  private static final int MAX_READ = 10_000;

  private final ElasticsearchClient client;
  private final MetricIndexLayout layout;
  private final MetricIndices indices;

  /** A store that writes, creating its index when first needed. */
  public ElasticsearchMetadataStore(ElasticsearchClient client, MetricIndexLayout layout, MetricIndices indices) {
    this.client = client;
    this.layout = layout;
    this.indices = java.util.Objects.requireNonNull(indices);
  }

  /** A store that only reads. */
  public ElasticsearchMetadataStore(ElasticsearchClient client, MetricIndexLayout layout) {
    this.client = client;
    this.layout = layout;
    this.indices = null;
  }

  public List<WriteOutcome> write(List<MetricMetadata> descriptions) throws StoreUnavailableException {
    if (descriptions.isEmpty()) {
      return List.of();
    }
    if (indices == null) {
      throw new IllegalStateException("this metadata store only reads");
    }
    indices.ensureInstalled();
    BulkRequest.Builder bulk = new BulkRequest.Builder();
    for (MetricMetadata m : descriptions) {
      Map<String, Object> doc = Map.of("metric", m.metric(), "type", m.type(), "help", m.help(), "unit", m.unit());
      bulk.operations(op -> op.index(i -> i.index(layout.metadataIndex()).id(id(m)).document(doc)));
    }
    BulkResponse response;
    try {
      response = client.bulk(bulk.build());
    } catch (IOException | ElasticsearchException e) {
      throw new StoreUnavailableException("bulk request failed: " + e.getMessage(), e);
    }
    return response.items().stream().map(ElasticsearchSampleWriter::outcomeOf).toList();
  }

  /**
   * The descriptions of {@code metric} (every metric when null), at most {@code limit} metrics and
   * {@code limitPerMetric} descriptions each (0: no limit), by metric name.
   */
  public Map<String, List<MetricMetadata>> find(String metric, int limit, int limitPerMetric) {
    Map<String, List<MetricMetadata>> found = new LinkedHashMap<>();
    try {
      var response = client.search(s -> s.index(layout.metadataIndex()).size(MAX_READ).ignoreUnavailable(true)
          .allowNoIndices(true)
          .query(q -> metric == null ? q.matchAll(m -> m) : q.term(t -> t.field("metric").value(metric)))
          .sort(o -> o.field(f -> f.field("metric").order(SortOrder.Asc)))
          .sort(o -> o.field(f -> f.field("type").order(SortOrder.Asc))), Map.class);
      for (Hit<Map> hit : response.hits().hits()) {
        Map<?, ?> src = hit.source();
        String name = String.valueOf(src.get("metric"));
        if (!found.containsKey(name) && limit > 0 && found.size() >= limit) {
          break;
        }
        List<MetricMetadata> list = found.computeIfAbsent(name, k -> new ArrayList<>());
        if (limitPerMetric <= 0 || list.size() < limitPerMetric) {
          list.add(new MetricMetadata(name, String.valueOf(src.get("type")), String.valueOf(src.get("help")),
              String.valueOf(src.get("unit"))));
        }
      }
    } catch (IOException | ElasticsearchException e) {
      if (e instanceof ElasticsearchException ee && "index_not_found_exception".equals(ee.error().type())) {
        return found;
      }
      throw new io.fleetlens.core.metrics.SeriesStoreUnavailableException("cannot read metadata: " + e.getMessage(), e);
    }
    return found;
  }

  static String id(MetricMetadata m) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String part : List.of(m.metric(), m.type(), m.help(), m.unit())) {
        sha.update(part.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
      return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(sha.digest(), 16));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
