package io.fleetlens.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.fleetlens.core.logs.LogRecord;
import io.fleetlens.devservers.KafkaProcess;
import io.fleetlens.testkit.LogTopicReader;
import io.fleetlens.testkit.NumberedLines;
import io.fleetlens.transport.kafka.TopicProvisioner;

/**
 * Kafka gone for a minute while a node keeps writing: the collector spools to disk within a bounded
 * memory, drains the spool in order when Kafka is back, and nothing is lost. Uses its own broker in
 * a child JVM so it can be stopped without disturbing other tests.
 */
class KafkaOutageIT {

  private static final Pattern NUMBER = Pattern.compile("#(\\d+)");
  private static final long RESIDENT_BOUND = 384L * 1024 * 1024;

  @Test
  void kafkaDownForAMinuteLosesNothingKeepsOrderAndMemoryBounded() throws Exception {
    Path work = Path.of("target", "e2e", "kafka-outage-" + System.nanoTime()).toAbsolutePath();
    PodLogs pods = new PodLogs(work.resolve("pods"));
    NumberedWriter writer = new NumberedWriter(pods, "steady", 3, "outage line", Integer.MAX_VALUE, 50, 10);
    try (KafkaProcess kafka = new KafkaProcess(work.resolve("kafka")).start();
        CollectorProcess collector = new CollectorProcess(work.resolve("collector"), "outage", kafka.bootstrapServers(),
            "outage.logs", pods.root(), 64 * 1024).heap("128m")) {
      TopicProvisioner.ensure(kafka.bootstrapServers(), List.of("outage.logs"), 3, (short) 1);
      collector.start();
      writer.start();
      String metrics = collector.metricsUrl();
      await().ignoreExceptions().atMost(Duration.ofMinutes(1))
          .until(() -> Http.metric(metrics, "fleetlens_collector_records_acked_total{app=\"collector\"}") > 5_000);

      kafka.stop();
      long maxResident = 0;
      for (int second = 0; second < 60; second++) {
        Thread.sleep(1_000);
        maxResident = Math.max(maxResident, collector.residentBytes());
      }
      double spooled = Http.metric(metrics, "fleetlens_collector_spooled_records_total{app=\"collector\"}");
      assertThat(spooled).as("records spooled during the outage").isGreaterThan(10_000);
      kafka.start();

      await().ignoreExceptions().atMost(Duration.ofMinutes(2))
          .until(() -> Http.metric(metrics, "fleetlens_collector_spool_bytes{app=\"collector\"}") == 0);
      int total = writer.stop();
      try (LogTopicReader reader = new LogTopicReader(kafka.bootstrapServers(), "outage.logs")) {
        reader.readUntil(lines -> lines.distinct() >= total, Duration.ofMinutes(2));
        NumberedLines lines = reader.lines();
        int outOfOrder = outOfOrder(reader);
        System.out.printf("Kafka outage: %d lines, %.0f spooled, max resident %d MiB, %d missing, %d duplicates, "
            + "%d out of order%n", total, spooled, maxResident >> 20, lines.missingBelow(total), lines.duplicates(),
            outOfOrder);
        assertThat(lines.missingBelow(total)).isZero();
        assertThat(outOfOrder).isZero();
        assertThat(maxResident).isLessThan(RESIDENT_BOUND);
      }
    }
  }

  /**
   * Lines that first arrived after a later line of the same container and stream had already
   * arrived (the two streams are joined into entries separately, so they interleave freely).
   */
  private static int outOfOrder(LogTopicReader reader) {
    Map<String, Integer> newest = new HashMap<>();
    Set<Integer> seen = new HashSet<>();
    int late = 0;
    for (LogRecord record : reader.records()) {
      Matcher m = NUMBER.matcher(record.message());
      if (!m.find()) {
        continue;
      }
      int n = Integer.parseInt(m.group(1));
      if (!seen.add(n)) {
        continue;
      }
      String container = record.orderingKey() + "/" + record.stream();
      if (n < newest.getOrDefault(container, -1)) {
        late++;
      }
      newest.merge(container, n, Math::max);
    }
    return late;
  }
}
