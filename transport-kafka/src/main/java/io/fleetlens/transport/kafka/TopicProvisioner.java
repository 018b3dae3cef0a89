package io.fleetlens.transport.kafka;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates missing topics with a partition count and replication factor; leaves existing ones be. */
public final class TopicProvisioner {

  private TopicProvisioner() {
  }

  public static void ensure(String bootstrapServers, List<String> topics, int partitions, short replicationFactor)
      throws InterruptedException, TimeoutException {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t))
          .map(t -> new NewTopic(t, partitions, replicationFactor)
              .configs(Map.of(TopicConfig.COMPRESSION_TYPE_CONFIG, "producer")))
          .toList();
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
      }
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("cannot create topics " + topics + ": " + e.getCause().getMessage(), e);
      }
    }
  }
}
