package io.fleetlens.storage.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.HealthStatus;

/** Whether a cluster answers and can serve reads and writes (yellow or green). */
final class ElasticsearchHealth {

  private ElasticsearchHealth() {
  }

  static boolean answers(ElasticsearchClient client) {
    try {
      HealthStatus status = client.cluster().health(h -> h.timeout(t -> t.time("2s"))).status();
      return status != HealthStatus.Red;
    } catch (Exception e) {
      return false;
    }
  }
}
