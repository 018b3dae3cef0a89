package io.fleetlens.transport.kafka;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The producer every Fleetlens writer uses: acknowledged by all in-sync replicas, idempotent (no
 * duplicates from retries, order kept per partition), lz4-compressed, byte keys and values.
 */
public final class Producers {

  private Producers() {
  }

  /** A reliable producer; {@code overrides} set batching and timeouts for the caller's traffic. */
  public static KafkaProducer<byte[], byte[]> reliable(String bootstrapServers, String clientId,
      Map<String, Object> overrides) {
    return reliable(KafkaCluster.plain(bootstrapServers), clientId, overrides);
  }

  /** A reliable producer to {@code cluster}, with its security settings. */
  public static KafkaProducer<byte[], byte[]> reliable(KafkaCluster cluster, String clientId,
      Map<String, Object> overrides) {
    Map<String, Object> config = new HashMap<>(Map.of(
        ProducerConfig.CLIENT_ID_CONFIG, clientId,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
        ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000));
    config.putAll(overrides);
    return new KafkaProducer<>(cluster.config(config), new ByteArraySerializer(), new ByteArraySerializer());
  }
}
