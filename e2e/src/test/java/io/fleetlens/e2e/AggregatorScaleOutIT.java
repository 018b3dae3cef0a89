package io.fleetlens.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.fleetlens.aggregator.AggregatorMain;
import io.fleetlens.storage.elasticsearch.ElasticsearchClients;
import io.fleetlens.storage.elasticsearch.ElasticsearchSettings;
import io.fleetlens.testkit.ElasticsearchFixture;
import io.fleetlens.testkit.KafkaFixture;
import io.fleetlens.testkit.RealServers;
import io.fleetlens.transport.kafka.TopicProvisioner;

/**
 * Aggregators scale on Kafka's consumer group alone: three aggregator JVMs share a 12-partition
 * logs topic while records flow in; one is killed with SIGKILL (its uncommitted batches are read
 * again by the others) and a fourth joins (partitions move to it cooperatively); at the end the
 * index holds every record exactly once and the group has read everything.
 */
@ExtendWith(RealServers.class)
class AggregatorScaleOutIT {

  private static final String NAME = "scale";
  private static final int PARTITIONS = 12;
  private static final int RECORDS = 12_000;

  private static String config(KafkaFixture kafka, ElasticsearchFixture elasticsearch) {
    return String.join("\n",
        "kafka:",
        "  bootstrap-servers: " + kafka.bootstrapServers(),
        "  topic: " + NAME + ".logs",
        "  dead-letter-topic: " + NAME + ".logs.dead-letter",
        "  metrics-topic: " + NAME + ".metrics",
        "  metrics-dead-letter-topic: " + NAME + ".metrics.dead-letter",
        "  group-id: " + NAME + "-aggregator",
        "  consumers: 1",
        "  max-poll-records: 500",
        "  partitions: " + PARTITIONS,
        "elasticsearch:",
        "  hosts: [\"" + elasticsearch.httpUrl() + "\"]",
        "  index-prefix: " + NAME,
        "  refresh-interval: 1s",
        "compaction:",
        "  enabled: false",
        "access-logs:",
        "  enabled: false");
  }

  @Test
  void aggregatorsKilledAndAddedUnderLoadIndexEveryRecordExactlyOnce(KafkaFixture kafka,
      ElasticsearchFixture elasticsearch, @TempDir Path work) throws Exception {
    TopicProvisioner.ensure(kafka.bootstrapServers(), List.of(NAME + ".logs", NAME + ".logs.dead-letter",
        NAME + ".metrics", NAME + ".metrics.dead-letter"), PARTITIONS, (short) 1);
    String yaml = config(kafka, elasticsearch);
    List<AppProcess> aggregators = new ArrayList<>();
    AtomicInteger sent = new AtomicInteger();
    try {
      for (int i = 1; i <= 3; i++) {
        aggregators.add(new AppProcess(work, "aggregator-" + i, AggregatorMain.class, yaml).start());
      }
      Thread load = new LogLoad(kafka.bootstrapServers(), NAME + ".logs", NAME, RECORDS, 60, 1000)
          .start(sent);
      awaitSent(sent, RECORDS / 3);
      aggregators.get(1).kill();
      awaitSent(sent, RECORDS / 2);
      aggregators.add(new AppProcess(work, "aggregator-4", AggregatorMain.class, yaml).start());
      load.join(120_000);
      assertThat(sent.get()).isEqualTo(RECORDS);

      try (ElasticsearchClient client = ElasticsearchClients.create(new ElasticsearchSettings(
          List.of(elasticsearch.httpUrl()), NAME, 1, 0, "1s", false))) {
        long deadline = System.currentTimeMillis() + 180_000;
        long indexed = 0;
        while (System.currentTimeMillis() < deadline) {
          client.indices().refresh(r -> r.index(NAME + "-logs-*"));
          indexed = client.count(c -> c.index(NAME + "-logs-*")).count();
          if (indexed >= RECORDS && groupLag(kafka.bootstrapServers()) == 0) {
            break;
          }
          Thread.sleep(1_000);
        }
        assertThat(indexed).as("every record once: none lost, none twice").isEqualTo(RECORDS);
        Thread.sleep(2_000);
        client.indices().refresh(r -> r.index(NAME + "-logs-*"));
        assertThat(client.count(c -> c.index(NAME + "-logs-*")).count()).isEqualTo(RECORDS);
      }
      assertThat(groupLag(kafka.bootstrapServers())).as("the group has committed every record").isZero();
      double duplicates = 0;
      for (AppProcess a : List.of(aggregators.get(0), aggregators.get(2), aggregators.get(3))) {
        assertThat(Http.metric(a.url() + "/metrics", "fleetlens_aggregator_consumer_lag_records{app=\"aggregator\","
            + "member=\"aggregator-consumer-0\",topic=\"" + NAME + ".logs\"}")).isZero();
        duplicates += Http.metric(a.url() + "/metrics",
            "fleetlens_aggregator_records_total{app=\"aggregator\",result=\"duplicate\"}");
      }
      System.out.printf("scale-out: %d records, %.0f read again after the kill and found stored%n", RECORDS,
          duplicates);
    } finally {
      for (AppProcess a : aggregators) {
        a.close();
      }
    }
  }

  private static void awaitSent(AtomicInteger sent, int count) throws InterruptedException {
    while (sent.get() < count) {
      Thread.sleep(50);
    }
  }

  /** Records of the logs topic the group has not committed yet. */
  private static long groupLag(String bootstrap) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(NAME + "-aggregator")
          .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < PARTITIONS; p++) {
        latest.put(new TopicPartition(NAME + ".logs", p), OffsetSpec.latest());
      }
      long lag = 0;
      for (var e : admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).entrySet()) {
        OffsetAndMetadata at = committed.get(e.getKey());
        lag += e.getValue().offset() - (at == null ? 0 : at.offset());
      }
      return lag;
    }
  }
}
