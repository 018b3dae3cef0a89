package io.fleetlens.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class AggregatorConfigTest {

  @Test
  void theDefaultsLoadAndTheEnvironmentOverridesThem() {
    AggregatorConfig defaults = AggregatorConfig.load(null, Map.of());
    assertThat(defaults.elasticsearch().hosts()).containsExactly("http://127.0.0.1:9200");
    assertThat(defaults.compaction().graceMs()).isEqualTo(3_600_000);
    assertThat(defaults.accessLogs().enabled()).isTrue();
    assertThat(defaults.federation().targets()).isEmpty();
    AggregatorConfig set = AggregatorConfig.load(null, Map.of("FLEETLENS_COMPACTION_ENABLED", "false",
        "FLEETLENS_ACCESS_LOGS_INTERVAL_MS", "5000"));
    assertThat(set.compaction().enabled()).isFalse();
    assertThat(set.accessLogs().intervalMs()).isEqualTo(5_000);
  }
}
