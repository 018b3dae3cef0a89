package io.fleetlens.testkit;

import java.util.List;

import io.fleetlens.core.metrics.InMemorySeriesStore;
import io.fleetlens.core.metrics.Labels;
import io.fleetlens.core.metrics.MetricMetadata;
import io.fleetlens.core.metrics.Sample;
import io.fleetlens.core.metrics.SeriesStore;

/** The in-memory store holds to the series store contract, the reference the others are held to. */
class InMemorySeriesStoreTest extends SeriesStoreContract {

  private InMemorySeriesStore store;

  @Override
  protected SeriesStore emptyStore() {
    store = new InMemorySeriesStore();
    return store;
  }

  @Override
  protected void write(List<Sample> samples, List<MetricMetadata> descriptions) {
    for (Sample s : samples) {
      store.add(Labels.of(s.labels()).with(Labels.METRIC_NAME, s.name()), s.timestampMillis(), s.value());
    }
    descriptions.forEach(store::describe);
  }
}
