package io.fleetlens.storage.elasticsearch.metrics;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;

import io.fleetlens.core.logs.StoreUnavailableException;
import io.fleetlens.core.logs.WriteOutcome;
import io.fleetlens.core.metrics.Labels;
import io.fleetlens.core.metrics.Sample;
import io.fleetlens.core.metrics.StaleNaN;

/**
 * Writes samples with one {@code _bulk} request per batch: the series document of each series this
 * process has not written yet, then each sample as a {@code create} into its window's time-series
 * index. A sample written before (same series, same millisecond) is a conflict: already there.
 * Values Elasticsearch has no number for (NaN, infinities, stale markers) go in {@code special}.
 * A window's index blocked for writes is being compacted: its samples are retried, and land in a
 * new index for the window once the compactor has deleted the old one.
 */
public final class ElasticsearchSampleWriter {

  private final ElasticsearchClient client;
  private final MetricIndexLayout layout;
  private final MetricIndices indices;
  private final Set<String> seriesWritten = ConcurrentHashMap.newKeySet();

  public ElasticsearchSampleWriter(ElasticsearchClient client, MetricIndexLayout layout, MetricIndices indices) {
    this.client = client;
    this.layout = layout;
    this.indices = indices;
  }

  public static Labels labelsOf(Sample sample) {
    Map<String, String> all = new TreeMap<>(sample.labels());
    all.put(Labels.METRIC_NAME, sample.name());
    return Labels.of(all);
  }

  public List<WriteOutcome> write(List<Sample> samples) throws StoreUnavailableException {
    if (samples.isEmpty()) {
      return List.of();
    }
    indices.ensureInstalled();
    BulkRequest.Builder bulk = new BulkRequest.Builder();
    Map<String, Labels> newSeries = new LinkedHashMap<>();
    List<String> ids = new ArrayList<>(samples.size());
    for (Sample sample : samples) {
      Labels labels = labelsOf(sample);
      String id = MetricIndexLayout.seriesId(labels);
      ids.add(id);
      if (!seriesWritten.contains(id)) {
        newSeries.putIfAbsent(id, labels);
      }
    }
    for (Map.Entry<String, Labels> series : newSeries.entrySet()) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("series_id", series.getKey());
      doc.put("name", series.getValue().metricName());
      Map<String, String> labels = new TreeMap<>(series.getValue().toMap());
      labels.remove(Labels.METRIC_NAME);
      doc.put("labels", labels);
      bulk.operations(op -> op.index(i -> i.index(layout.seriesIndex()).id(series.getKey()).document(doc)));
    }
    for (int k = 0; k < samples.size(); k++) {
      Sample sample = samples.get(k);
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("@timestamp", sample.timestampMillis());
      doc.put("series_id", ids.get(k));
      double v = sample.value();
      if (StaleNaN.is(v)) {
        doc.put("special", "stale");
      } else if (Double.isNaN(v)) {
        doc.put("special", "NaN");
      } else if (Double.isInfinite(v)) {
        doc.put("special", v > 0 ? "+Inf" : "-Inf");
      } else {
        doc.put("value", v);
      }
      String index = layout.sampleIndex(sample.timestampMillis());
      bulk.operations(op -> op.create(c -> c.index(index).document(doc)));
    }
    BulkResponse response;
    try {
      response = client.bulk(bulk.build());
    } catch (IOException | ElasticsearchException e) {
      throw new StoreUnavailableException("bulk request failed: " + e.getMessage(), e);
    }
    List<BulkResponseItem> items = response.items();
    int seriesCount = newSeries.size();
    boolean seriesOk = true;
    for (int k = 0; k < seriesCount; k++) {
      BulkResponseItem item = items.get(k);
      if (item.error() == null) {
        seriesWritten.add(item.id());
      } else {
        seriesOk = false;
      }
    }
    List<WriteOutcome> outcomes = new ArrayList<>(samples.size());
    for (int k = seriesCount; k < items.size(); k++) {
      WriteOutcome outcome = outcomeOf(items.get(k));
      if (!seriesOk && outcome instanceof WriteOutcome.Written && !seriesWritten.contains(ids.get(k - seriesCount))) {
        outcome = new WriteOutcome.Retry("its series document was not written");
      }
      outcomes.add(outcome);
    }
    return outcomes;
  }

  static WriteOutcome outcomeOf(BulkResponseItem item) {
    int status = item.status();
    if (item.error() == null && status >= 200 && status < 300) {
      return new WriteOutcome.Written();
    }
    String reason = item.error() == null ? "status " + status : item.error().type() + ": " + item.error().reason();
    if (status == 409) {
      return new WriteOutcome.AlreadyPresent();
    }
    if (status == 429 || status >= 500
        || item.error() != null && "cluster_block_exception".equals(item.error().type())) {
      return new WriteOutcome.Retry(reason);
    }
    return new WriteOutcome.Rejected(reason);
  }
}
