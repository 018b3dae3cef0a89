package io.fleetlens.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class QueryApiConfigTest {

  @Test
  void theDefaultsLoadAndTheEnvironmentOverridesThem() {
    QueryApiConfig defaults = QueryApiConfig.load(null, Map.of());
    assertThat(defaults.elasticsearch().hosts()).containsExactly("http://127.0.0.1:9200");
    assertThat(defaults.promql().maxSeries()).isEqualTo(100_000);
    assertThat(defaults.http().port()).isEqualTo(8080);
    QueryApiConfig set = QueryApiConfig.load(null, Map.of("FLEETLENS_ELASTICSEARCH_HOSTS", "http://a:9200,http://b:9200",
        "FLEETLENS_PROMQL_TIMEOUT_MS", "5000"));
    assertThat(set.elasticsearch().hosts()).isEqualTo(List.of("http://a:9200", "http://b:9200"));
    assertThat(set.promql().timeoutMs()).isEqualTo(5_000);
  }
}
