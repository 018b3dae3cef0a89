package io.fleetlens.storage.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

import io.fleetlens.core.logs.ContainerRef;
import io.fleetlens.core.logs.LogOrigin;
import io.fleetlens.core.logs.LogRecord;
import io.fleetlens.core.logs.LogStream;
import io.fleetlens.core.metrics.Sample;
import io.fleetlens.storage.elasticsearch.metrics.ElasticsearchSampleWriter;
import io.fleetlens.storage.elasticsearch.metrics.MetricIndexLayout;
import io.fleetlens.storage.elasticsearch.metrics.MetricIndices;
import io.fleetlens.storage.elasticsearch.metrics.SampleCompactor;
import io.fleetlens.testkit.ElasticsearchFixture;
import io.fleetlens.testkit.RealServers;

@ExtendWith(RealServers.class)
class IndexRetentionIT {

  @Test
  void wholeDaysPastTheirRetentionAreDeletedAndTheRestKept(ElasticsearchFixture elasticsearch) throws Exception {
    ElasticsearchSettings settings = new ElasticsearchSettings(List.of(elasticsearch.httpUrl()), "retention-it", 1, 0,
        "100ms", false);
    LocalDate today = LocalDate.of(2026, 11, 23);
    try (ElasticsearchClient client = ElasticsearchClients.create(settings)) {
      LogIndexLayout logs = new LogIndexLayout(settings.indexPrefix());
      LogIndexTemplate.install(client, settings, logs);
      ElasticsearchLogWriter logWriter = new ElasticsearchLogWriter(client, logs);
      for (int daysAgo : new int[] {0, 6, 7, 30}) {
        Instant t = today.minusDays(daysAgo).atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(3600);
        logWriter.write(List.of(new LogRecord("c", "n", new ContainerRef("ns", "p", "u", "app"), t, LogStream.STDOUT,
            "line", false, null, new LogOrigin("1:1", daysAgo))));
      }
      MetricIndexLayout metrics = new MetricIndexLayout(settings.indexPrefix());
      MetricIndices metricIndices = new MetricIndices(client, metrics, 1, 0, "100ms");
      ElasticsearchSampleWriter sampleWriter = new ElasticsearchSampleWriter(client, metrics, metricIndices);
      for (int daysAgo : new int[] {0, 29, 30}) {
        long t = today.minusDays(daysAgo).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli() + 3_600_000;
        sampleWriter.write(List.of(new Sample("up", new TreeMap<>(Map.of("cluster", "c")), t, 1)));
      }
      long monthAgo = today.minusDays(30).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli() + 60_000;
      sampleWriter.write(List.of(new Sample("gone", new TreeMap<>(Map.of("cluster", "c")), monthAgo, 1)));

      // compacted: the windows of 29 and 30 days ago are chunks now; today's window is not over
      new SampleCompactor(client, metrics, metricIndices, "retention-it", 60_000)
          .compactDue(today.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli(), 0);

      List<String> deleted = new IndexRetention(client, settings.indexPrefix(), 7, 30).apply(today);

      assertThat(deleted).containsExactlyInAnyOrder("retention-it-logs-2026.11.16", "retention-it-logs-2026.10.24",
          "retention-it-chunks-2026.10.24");
      assertThat(client.indices().get(g -> g.index("retention-it-*")).indices().keySet()).containsExactlyInAnyOrder(
          "retention-it-logs-2026.11.23", "retention-it-logs-2026.11.17", "retention-it-samples-2026.11.23-00",
          "retention-it-chunks-2026.10.25", "retention-it-series", "retention-it-compactions",
          "retention-it-metadata");
      // the series whose newest sample is past retention is forgotten, the other kept
      client.indices().refresh(r -> r.index("retention-it-series"));
      assertThat(client.search(s -> s.index("retention-it-series"), Map.class).hits().hits())
          .extracting(h -> h.source().get("name")).containsExactly("up");
    }
  }
}
