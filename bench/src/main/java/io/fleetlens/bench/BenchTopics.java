package io.fleetlens.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The bench's topics on its broker: created alike for every program, and counted by their end offsets. */
final class BenchTopics implements AutoCloseable {

  static final int PARTITIONS = 3;

  private final String bootstrapServers;
  private final Admin admin;

  BenchTopics(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
    this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        AdminClientConfig.CLIENT_ID_CONFIG, "bench-admin"));
  }

  void create(String topic) throws ExecutionException, InterruptedException {
    admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
  }

  /** Records in the topic: the sum of its partitions' end offsets (no transactions, no compaction). */
  long records(String topic) throws ExecutionException, InterruptedException {
    Map<TopicPartition, OffsetSpec> latest = Stream.iterate(0, p -> p < PARTITIONS, p -> p + 1)
        .collect(Collectors.toMap(p -> new TopicPartition(topic, p), p -> OffsetSpec.latest()));
    return admin.listOffsets(latest).all().get().values().stream().mapToLong(ListOffsetsResultInfo::offset).sum();
  }

  /** Sends the lines of these files to a topic of their own, so the broker is warm when measuring starts. */
  void warmUp(List<Path> files) throws IOException, ExecutionException, InterruptedException {
    create("bench.warmup");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
        ProducerConfig.LINGER_MS_CONFIG, 20),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      for (Path file : files) {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          producer.send(new ProducerRecord<>("bench.warmup", line.getBytes(StandardCharsets.UTF_8)));
        }
      }
      producer.flush();
    }
  }

  @Override
  public void close() {
    admin.close();
  }
}
