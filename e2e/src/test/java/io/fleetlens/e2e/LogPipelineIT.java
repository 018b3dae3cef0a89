package io.fleetlens.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import io.fleetlens.transport.kafka.DeadLetterHeaders;
import io.fleetlens.testkit.ElasticsearchFixture;
import io.fleetlens.testkit.KafkaFixture;
import io.fleetlens.testkit.RealServers;

@ExtendWith(RealServers.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LogPipelineIT {

  private static final Duration PATIENCE = Duration.ofMinutes(2);
  private static final int MAX_LINE_BYTES = 64 * 1024;

  @Test
  @Order(1)
  void everyLineArrivesOnceWithItsPodContainerAndStream(KafkaFixture kafka, ElasticsearchFixture es) throws Exception {
    try (Pipeline pipeline = new Pipeline("flow", kafka, es, MAX_LINE_BYTES)) {
      PodLogs pods = pipeline.pods;
      Set<String> expected = new HashSet<>();
      String[][] containers = {{"shop", "cart-1", "app"}, {"shop", "cart-2", "app"}, {"payments", "api-1", "server"}};
      for (int i = 0; i < 100; i++) {
        for (String[] c : containers) {
          String stream = i % 4 == 0 ? "stderr" : "stdout";
          String message = c[1] + "/" + c[2] + " " + stream + " line " + i;
          pods.line(c[0], c[1], c[2], stream, message);
          expected.add(message);
        }
      }
      pods.cri("payments", "api-1", "server", "stdout", true, "joined: first part, ");
      pods.cri("payments", "api-1", "server", "stdout", true, "second part, ");
      pods.cri("payments", "api-1", "server", "stdout", false, "last part");
      expected.add("joined: first part, second part, last part");

      pipeline.collector.start();
      await().ignoreExceptions().atMost(PATIENCE).until(() -> pipeline.allMessages().size() >= expected.size());

      List<JsonNode> hits = pipeline.allHits();
      assertThat(hits).extracting(h -> h.get("message").asText()).containsExactlyInAnyOrderElementsOf(expected);
      for (JsonNode hit : hits) {
        String message = hit.get("message").asText();
        if (message.startsWith("joined")) {
          assertThat(hit.get("namespace").asText()).isEqualTo("payments");
          assertThat(hit.get("stream").asText()).isEqualTo("stdout");
          continue;
        }
        String[] words = message.split(" ");
        String[] podAndContainer = words[0].split("/");
        assertThat(hit.get("pod").asText()).isEqualTo(podAndContainer[0]);
        assertThat(hit.get("container").asText()).isEqualTo(podAndContainer[1]);
        assertThat(hit.get("namespace").asText()).isEqualTo(podAndContainer[0].startsWith("cart") ? "shop" : "payments");
        assertThat(hit.get("stream").asText()).isEqualTo(words[1]);
        assertThat(hit.get("cluster").asText()).isEqualTo("flow");
        assertThat(hit.get("node").asText()).isEqualTo("node-a");
      }
      JsonNode stderrOnly = pipeline.search(Map.of("cluster", "flow", "pod", "cart-2", "stream", "stderr",
          "limit", "1000")).json();
      assertThat(stderrOnly.get("hits")).hasSize(25);
    }
  }

  @Test
  @Order(2)
  void collectorKilledMidStreamLosesNoLineAndIndexesNoneTwice(KafkaFixture kafka, ElasticsearchFixture es)
      throws Exception {
    try (Pipeline pipeline = new Pipeline("kill", kafka, es, MAX_LINE_BYTES)) {
      int total = 20_000;
      NumberedWriter writer = new NumberedWriter(pipeline.pods, "load", 2, "numbered line", total, 50, 2);
      pipeline.collector.start();
      writer.start();
      await().ignoreExceptions().atMost(PATIENCE).until(() -> writer.written() > total / 3
          && Http.metric(pipeline.collector.metricsUrl(), "fleetlens_collector_records_acked_total{app=\"collector\"}") > 1000);
      pipeline.collector.kill();
      Thread.sleep(1_000);
      pipeline.collector.start();
      writer.awaitLimit();

      await().ignoreExceptions().atMost(PATIENCE).until(() -> pipeline.allMessages().size() >= total);
      List<String> messages = pipeline.allMessages();
      assertThat(messages).hasSize(total).doesNotHaveDuplicates();
      assertThat(documentCount(es, "kill")).isEqualTo(total);
    }
  }

  @Test
  @Order(3)
  void badInputIsCountedAndLoggedOnceAndTheLinesAroundItArrive(KafkaFixture kafka, ElasticsearchFixture es)
      throws Exception {
    try (Pipeline pipeline = new Pipeline("bad", kafka, es, MAX_LINE_BYTES)) {
      PodLogs pods = pipeline.pods;
      pods.line("shop", "web-1", "app", "stdout", "good before");
      pods.raw("shop", "web-1", "app", "this line is not CRI at all\n".getBytes(StandardCharsets.UTF_8));
      byte[] prefix = (java.time.Instant.now() + " stdout F broken \u00e9 ").getBytes(StandardCharsets.UTF_8);
      byte[] invalid = new byte[prefix.length + 3];
      System.arraycopy(prefix, 0, invalid, 0, prefix.length);
      invalid[prefix.length] = (byte) 0xC3;
      invalid[prefix.length + 1] = (byte) 0x28;
      invalid[prefix.length + 2] = '\n';
      pods.raw("shop", "web-1", "app", invalid);
      pods.line("shop", "web-1", "app", "stdout", "huge " + "x".repeat(2 * 1024 * 1024));
      pods.line("shop", "web-1", "app", "stdout", "good after");
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
          new ByteArraySerializer(), new ByteArraySerializer())) {
        producer.send(new ProducerRecord<>(pipeline.topic, "{this is not a record".getBytes(StandardCharsets.UTF_8))).get();
      }
      pipeline.collector.start();

      await().ignoreExceptions().atMost(PATIENCE).until(() -> pipeline.allMessages().size() >= 4);
      List<JsonNode> hits = pipeline.allHits();
      assertThat(hits).hasSize(4);
      assertThat(hits).extracting(h -> h.get("message").asText()).contains("good before", "good after");
      JsonNode huge = hits.stream().filter(h -> h.get("message").asText().startsWith("huge")).findFirst().orElseThrow();
      assertThat(huge.get("truncated").asBoolean()).isTrue();
      assertThat(huge.get("message").asText().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(MAX_LINE_BYTES);
      JsonNode broken = hits.stream().filter(h -> h.get("message").asText().startsWith("broken")).findFirst().orElseThrow();
      assertThat(broken.get("message").asText()).startsWith("broken \u00e9 ").contains("\uFFFD");

      String metrics = pipeline.collector.metricsUrl();
      for (String reason : List.of("not_cri", "invalid_utf8", "truncated")) {
        assertThat(Http.metric(metrics, "fleetlens_collector_bad_input_total{app=\"collector\",reason=\"" + reason + "\"}"))
            .as(reason).isEqualTo(1.0);
      }
      String output = pipeline.collector.output();
      String file = pods.file("shop", "web-1", "app").toString();
      assertThat(occurrences(output, "not_cri in " + file + " at offset ")).isEqualTo(1);
      assertThat(occurrences(output, "invalid_utf8 in " + file + " at offset ")).isEqualTo(1);
      assertThat(occurrences(output, "truncated in " + file + " at offset ")).isEqualTo(1);

      await().ignoreExceptions().atMost(PATIENCE).until(() -> Http.metric(pipeline.aggregatorUrl() + "/metrics",
          "fleetlens_aggregator_dead_letters_total{app=\"aggregator\",reason=\"malformed\"}") == 1.0);
      ConsumerRecord<byte[], byte[]> letter = firstRecord(kafka, pipeline.deadLetterTopic);
      assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo("{this is not a record");
      assertThat(new String(letter.headers().lastHeader(DeadLetterHeaders.REASON).value(), StandardCharsets.UTF_8))
          .startsWith("malformed");
      assertThat(new String(letter.headers().lastHeader(DeadLetterHeaders.SOURCE_TOPIC).value(), StandardCharsets.UTF_8))
          .isEqualTo(pipeline.topic);
    }
  }

  @Test
  @Order(4)
  void elasticsearchOutageIsWaitedOutAndEveryLineIndexedOnce(KafkaFixture kafka, ElasticsearchFixture es)
      throws Exception {
    try (Pipeline pipeline = new Pipeline("outage", kafka, es, MAX_LINE_BYTES)) {
      NumberedWriter writer = new NumberedWriter(pipeline.pods, "steady", 3, "steady line", Integer.MAX_VALUE, 50, 200);
      pipeline.collector.start();
      writer.start();
      await().ignoreExceptions().atMost(PATIENCE).until(() -> pipeline.allMessages().size() > 100);

      es.stop();
      long outageStart = System.nanoTime();
      int writtenAtStop = writer.written();
      await().ignoreExceptions().atMost(Duration.ofSeconds(30))
          .until(() -> Http.get(pipeline.aggregatorUrl() + "/readyz").status() == 503);
      while (System.nanoTime() - outageStart < Duration.ofSeconds(60).toNanos()) {
        Thread.sleep(1_000);
        assertThat(Http.get(pipeline.aggregatorUrl() + "/healthz").status()).isEqualTo(200);
      }
      assertThat(writer.written()).as("lines kept arriving during the outage").isGreaterThan(writtenAtStop + 1000);
      assertThat(Http.get(pipeline.aggregatorUrl() + "/readyz").status()).isEqualTo(503);
      es.start();

      await().ignoreExceptions().atMost(PATIENCE)
          .until(() -> Http.get(pipeline.aggregatorUrl() + "/readyz").status() == 200);
      Thread.sleep(3_000);
      int total = writer.stop();
      await().ignoreExceptions().atMost(PATIENCE).until(() -> pipeline.allMessages().size() >= total);
      assertThat(pipeline.allMessages()).hasSize(total).doesNotHaveDuplicates();
      assertThat(documentCount(es, "outage")).isEqualTo(total);
    }
  }

  private static long documentCount(ElasticsearchFixture es, String prefix) throws Exception {
    Http.get(es.httpUrl() + "/" + prefix + "-logs-*/_refresh");
    return Http.get(es.httpUrl() + "/" + prefix + "-logs-*/_count").json().get("count").asLong();
  }

  private static int occurrences(String text, String part) {
    int count = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      count++;
    }
    return count;
  }

  private static ConsumerRecord<byte[], byte[]> firstRecord(KafkaFixture kafka, String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + topic,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      await().ignoreExceptions().atMost(PATIENCE).until(() -> {
        consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        return !records.isEmpty();
      });
      return records.get(0);
    }
  }
}
