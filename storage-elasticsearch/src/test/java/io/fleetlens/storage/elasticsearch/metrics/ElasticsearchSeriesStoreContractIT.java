package io.fleetlens.storage.elasticsearch.metrics;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

import io.fleetlens.core.logs.WriteOutcome;
import io.fleetlens.core.metrics.MetricMetadata;
import io.fleetlens.core.metrics.Sample;
import io.fleetlens.core.metrics.SeriesStore;
import io.fleetlens.storage.elasticsearch.ElasticsearchClients;
import io.fleetlens.storage.elasticsearch.ElasticsearchSettings;
import io.fleetlens.testkit.ElasticsearchFixture;
import io.fleetlens.testkit.RealServers;
import io.fleetlens.testkit.SeriesStoreContract;

/** The Elasticsearch series store holds to the series store contract, on the real server. */
@ExtendWith(RealServers.class)
class ElasticsearchSeriesStoreContractIT extends SeriesStoreContract {

  private static final AtomicInteger STORES = new AtomicInteger();
  private static String url;

  private ElasticsearchClient client;
  private MetricIndexLayout layout;
  private MetricIndices indices;

  @BeforeAll
  static void server(ElasticsearchFixture elasticsearch) {
    url = elasticsearch.httpUrl();
  }

  @Override
  protected SeriesStore emptyStore() {
    ElasticsearchSettings settings = new ElasticsearchSettings(List.of(url),
        "series-contract-" + STORES.incrementAndGet(), 1, 0, "100ms", false);
    client = ElasticsearchClients.create(settings);
    layout = new MetricIndexLayout(settings.indexPrefix());
    indices = new MetricIndices(client, layout, 1, 0, "100ms");
    return new ElasticsearchSeriesStore(client, layout, 1_000, 0); // no chunk cache (MetricsStoreIT: one)
  }

  @Override
  protected void write(List<Sample> samples, List<MetricMetadata> descriptions) throws Exception {
    if (!ElasticsearchSampleWriter.visibleOnReturn(client, layout, indices).write(samples).stream()
        .allMatch(o -> o instanceof WriteOutcome.Written)) {
      throw new AssertionError("samples not written");
    }
    new ElasticsearchMetadataStore(client, layout, indices).write(descriptions);
    client.indices().refresh(r -> r.index(layout.samplePattern(), layout.chunkPattern(), layout.seriesIndex(),
        layout.metadataIndex()).allowNoIndices(true).ignoreUnavailable(true));
  }

  @AfterEach
  void close() throws Exception {
    client.close();
  }
}
