package io.fleetlens.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.fleetlens.collector.Collector;
import io.fleetlens.core.logs.LogRecord;
import io.fleetlens.testkit.KafkaFixture;
import io.fleetlens.testkit.LogTopicReader;
import io.fleetlens.testkit.RealServers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Input that breaks other collectors, against a real Kafka: the collector keeps shipping the rest. */
@ExtendWith(RealServers.class)
class CollectorBadInputIT {

  @Test
  void tenMebibyteLineIsCutAndTheLinesAroundItArrive(KafkaFixture kafka) throws Exception {
    Path work = Files.createDirectories(Path.of("target", "it", "huge-" + System.nanoTime()).toAbsolutePath());
    Path log = Files.createDirectories(work.resolve("pods/bad_huge-1_uid-1/app")).resolve("0.log");
    try (BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      out.write(Instant.now() + " stdout F before #0\n");
      out.write(Instant.now() + " stdout F huge " + "x".repeat(10 * 1024 * 1024) + "\n");
      out.write(Instant.now() + " stdout F after #1\n");
    }
    try (Collector collector = new Collector(TestCollectors.config("huge", work, kafka, List.of()), new SimpleMeterRegistry()).start();
        LogTopicReader reader = new LogTopicReader(kafka.bootstrapServers(), "huge.logs")) {
      reader.readUntil(lines -> lines.has(0) && lines.has(1) && lines.arrived() == 2 && reader.records().size() >= 3,
          Duration.ofSeconds(60));
      assertThat(reader.lines().has(0)).isTrue();
      assertThat(reader.lines().has(1)).isTrue();
      LogRecord huge = reader.records().stream().filter(r -> r.message().startsWith("huge")).findFirst().orElseThrow();
      assertThat(huge.truncated()).isTrue();
      assertThat(huge.message().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(TestCollectors.MAX_LINE_BYTES);
    }
  }

  @Test
  void podDeletedWhileItsFileIsReadLosesNoLine(KafkaFixture kafka) throws Exception {
    Path work = Files.createDirectories(Path.of("target", "it", "deleted-" + System.nanoTime()).toAbsolutePath());
    Path podDir = work.resolve("pods/bad_gone-1_uid-2");
    Path log = Files.createDirectories(podDir.resolve("app")).resolve("0.log");
    int total = 300_000;
    try (BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      for (int i = 0; i < total; i++) {
        out.write(Instant.now() + " stdout F line of a pod about to go #" + i + "\n");
      }
    }
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Collector collector = new Collector(TestCollectors.config("deleted", work, kafka, List.of()), registry).start();
        LogTopicReader reader = new LogTopicReader(kafka.bootstrapServers(), "deleted.logs")) {
      while (registry.counter("fleetlens.collector.records.sent").count() == 0) {
        Thread.sleep(10);
      }
      try (Stream<Path> paths = Files.walk(podDir)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
      reader.readUntil(lines -> lines.distinct() >= total, Duration.ofSeconds(90));
      assertThat(reader.lines().missingBelow(total)).isZero();
      assertThat(Files.exists(podDir)).isFalse();
    }
  }
}
