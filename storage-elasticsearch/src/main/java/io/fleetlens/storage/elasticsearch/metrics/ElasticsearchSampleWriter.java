package io.fleetlens.storage.elasticsearch.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;

import io.fleetlens.core.logs.StoreUnavailableException;
import io.fleetlens.core.logs.WriteOutcome;
import io.fleetlens.core.metrics.Labels;
import io.fleetlens.core.metrics.Sample;
import io.fleetlens.core.metrics.StaleNaN;

/**
 * Writes samples with one {@code _bulk} request per batch: the series documents the batch adds or
 * moves the days of (see {@link SeriesDays}), then each sample as a {@code create} into its window's time-series
 * index. A sample written before (same series, same millisecond) is a conflict: already there.
 * Values Elasticsearch has no number for (NaN, infinities, stale markers) go in {@code special}.
 * A window's index blocked for writes is being compacted: its samples are retried, and land in a
 * new index for the window once the compactor has deleted the old one.
 */
public final class ElasticsearchSampleWriter {

  private final ElasticsearchClient client;
  private final MetricIndexLayout layout;
  private final MetricIndices indices;
  private final SeriesDays seriesDays;
  private final boolean visibleOnReturn;

  public ElasticsearchSampleWriter(ElasticsearchClient client, MetricIndexLayout layout, MetricIndices indices) {
    this(client, layout, indices, false);
  }

  private ElasticsearchSampleWriter(ElasticsearchClient client, MetricIndexLayout layout, MetricIndices indices,
      boolean visibleOnReturn) {
    this.client = client;
    this.layout = layout;
    this.indices = indices;
    this.seriesDays = new SeriesDays(client, layout);
    this.visibleOnReturn = visibleOnReturn;
  }

  /**
   * A writer whose samples are searchable when {@link #write} returns (the bulk waits for a
   * refresh), as rule evaluation needs: a rule reads what the rule before it recorded.
   */
  public static ElasticsearchSampleWriter visibleOnReturn(ElasticsearchClient client, MetricIndexLayout layout,
      MetricIndices indices) {
    return new ElasticsearchSampleWriter(client, layout, indices, true);
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
    if (visibleOnReturn) {
      bulk.refresh(co.elastic.clients.elasticsearch._types.Refresh.WaitFor);
    }
    List<Labels> labels = new ArrayList<>(samples.size());
    List<String> ids = new ArrayList<>(samples.size());
    List<Long> times = new ArrayList<>(samples.size());
    for (Sample sample : samples) {
      Labels l = labelsOf(sample);
      labels.add(l);
      ids.add(MetricIndexLayout.seriesId(l));
      times.add(sample.timestampMillis());
    }
    List<SeriesDays.Change> changes = seriesDays.changes(labels, ids, times);
    changes.forEach(change -> seriesDays.addTo(bulk, change));
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
    List<BulkResponseItem> items = seriesDays.send(bulk, changes);
    List<WriteOutcome> outcomes = new ArrayList<>(samples.size());
    for (int k = changes.size(); k < items.size(); k++) {
      WriteOutcome outcome = outcomeOf(items.get(k));
      if (outcome instanceof WriteOutcome.Written && !seriesDays.isKnown(ids.get(k - changes.size()))) {
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
