package io.fleetlens.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MetadataOnceTest {

  @Test
  void eachDescriptionPassesOncePerPeriodAndOneThatSaysNothingNever() {
    MetadataOnce once = new MetadataOnce(60_000);
    MetricMetadata counter = new MetricMetadata("requests_total", "counter", "Requests.", "");
    assertThat(once.due(counter, 0)).isTrue();
    assertThat(once.due(counter, 59_999)).isFalse();
    assertThat(once.due(new MetricMetadata("requests_total", "counter", "Requests, changed.", ""), 1)).isTrue();
    assertThat(once.due(counter, 60_000)).isTrue();
    assertThat(once.due(new MetricMetadata("federated", "untyped", "", ""), 0)).isFalse();
  }
}
