package io.fleetlens.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class CollectorConfigTest {

  @Test
  void theDefaultsLoadAndTheEnvironmentOverridesThem() {
    CollectorConfig defaults = CollectorConfig.load(null, Map.of());
    assertThat(defaults.kafka().metricsTopic()).isEqualTo("fleetlens.metrics");
    assertThat(defaults.scrape().targets()).isEmpty();
    CollectorConfig set = CollectorConfig.load(null, Map.of("FLEETLENS_KUBELET_URL", "http://127.0.0.1:10255",
        "FLEETLENS_SCRAPE_INTERVAL_MS", "5000"));
    assertThat(set.kubelet().url()).isEqualTo("http://127.0.0.1:10255");
    assertThat(set.scrape().intervalMs()).isEqualTo(5_000);
  }
}
