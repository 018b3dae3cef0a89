package io.fleetlens.transport.kafka;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates missing topics with a partition count and replication factor, leaves existing ones be,
 * and returns once every partition of the topics has a leader: a producer that starts writing to a
 * topic whose leaders are still being elected can lose its sequence numbers (Kafka then refuses
 * its batches as out of order).
 */
public final class TopicProvisioner {

  private TopicProvisioner() {
  }

  public static void ensure(String bootstrapServers, List<String> topics, int partitions, short replicationFactor)
      throws InterruptedException, TimeoutException {
    ensure(KafkaCluster.plain(bootstrapServers), topics, partitions, replicationFactor);
  }

  public static void ensure(KafkaCluster cluster, List<String> topics, int partitions, short replicationFactor)
      throws InterruptedException, TimeoutException {
    ensure(cluster, topics, partitions, replicationFactor, 0);
  }

  /**
   * As above, and topics it creates keep records {@code retentionMs} (0: the broker's default):
   * how long the consumers may be away, Elasticsearch down, before records are lost.
   */
  public static void ensure(KafkaCluster cluster, List<String> topics, int partitions, short replicationFactor,
      long retentionMs) throws InterruptedException, TimeoutException {
    Map<String, String> configs = new java.util.HashMap<>(Map.of(TopicConfig.COMPRESSION_TYPE_CONFIG, "producer"));
    if (retentionMs > 0) {
      configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retentionMs));
    }
    try (Admin admin = Admin.create(cluster.config(Map.of()))) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t))
          .map(t -> new NewTopic(t, partitions, replicationFactor).configs(configs))
          .toList();
      if (!missing.isEmpty()) {
        try {
          admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
      awaitLeaders(admin, topics);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("cannot create topics " + topics + ": " + e.getCause().getMessage(), e);
      }
    }
  }

  private static void awaitLeaders(Admin admin, List<String> topics)
      throws InterruptedException, TimeoutException, ExecutionException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        boolean led = admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
            .allMatch(t -> t.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
        if (led) {
          return;
        }
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
          throw e;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("the partitions of " + topics + " have no leader after 30 s");
      }
      Thread.sleep(100);
    }
  }
}
