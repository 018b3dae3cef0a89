package io.fleetlens.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.fleetlens.collector.Collector;
import io.fleetlens.testkit.KafkaFixture;
import io.fleetlens.testkit.LogTopicReader;
import io.fleetlens.testkit.NumberedLines;
import io.fleetlens.testkit.RealServers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Rotation under load against a real Kafka: the file is rotated every few MB while lines are
 * written at about 20,000 per second, the way kubelet rotates (rename, then a new file) and the way
 * logrotate's copytruncate does (copy, then truncate in place).
 */
@ExtendWith(RealServers.class)
class CollectorRotationIT {

  private static final int LINES_PER_SECOND = 20_000;
  private static final long ROTATE_BYTES = 4L * 1024 * 1024;
  private static final DateTimeFormatter ROTATED = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
  private static final String PADDING = " payload " + "x".repeat(70);

  @Test
  void renameAndCreateRotationUnderLoadLosesNothing(KafkaFixture kafka) throws Exception {
    Path work = Files.createDirectories(Path.of("target", "it", "rotate-" + System.nanoTime()).toAbsolutePath());
    Path log = Files.createDirectories(work.resolve("pods/load_writer-1_uid-1/app")).resolve("0.log");
    int seconds = Integer.getInteger("fleetlens.it.rotation.seconds", 60);
    int written;
    int rotations;
    try (Collector collector = new Collector(TestCollectors.config("rotate", work, kafka, List.of()),
        new SimpleMeterRegistry()).start()) {
      Writer writer = new Writer(log, false);
      written = writer.run(Duration.ofSeconds(seconds));
      rotations = writer.rotations;
      try (LogTopicReader reader = new LogTopicReader(kafka.bootstrapServers(), "rotate.logs")) {
        reader.readUntil(lines -> lines.distinct() >= written, Duration.ofSeconds(90));
        NumberedLines lines = reader.lines();
        System.out.printf("rename rotation: %d lines written, %d rotations, %d arrived, %d missing, %d duplicates%n",
            written, rotations, lines.arrived(), lines.missingBelow(written), lines.duplicates());
        assertThat(rotations).isGreaterThan(seconds / 10);
        assertThat(lines.missingBelow(written)).isZero();
        assertThat(lines.duplicates()).isZero();
      }
    }
  }

  @Test
  void copytruncateKeepsShippingAndItsLossWindowIsMeasured(KafkaFixture kafka) throws Exception {
    Path work = Files.createDirectories(Path.of("target", "it", "truncate-" + System.nanoTime()).toAbsolutePath());
    Path log = Files.createDirectories(work.resolve("pods/load_writer-2_uid-2/app")).resolve("0.log");
    int written;
    int rotations;
    try (Collector collector = new Collector(TestCollectors.config("truncate", work, kafka, List.of()),
        new SimpleMeterRegistry()).start()) {
      Writer writer = new Writer(log, true);
      written = writer.run(Duration.ofSeconds(20));
      rotations = writer.rotations;
      try (LogTopicReader reader = new LogTopicReader(kafka.bootstrapServers(), "truncate.logs")) {
        int lastLine = written - 1;
        reader.readUntil(lines -> lines.has(lastLine), Duration.ofSeconds(60));
        reader.readUntil(lines -> false, Duration.ofSeconds(2));
        NumberedLines lines = reader.lines();
        System.out.printf("copytruncate: %d lines written, %d truncations, %d missing (%.3f%%), %d duplicates%n",
            written, rotations, lines.missingBelow(written), 100.0 * lines.missingBelow(written) / written,
            lines.duplicates());
        assertThat(lines.has(lastLine)).as("lines written after the last truncation arrive").isTrue();
        assertThat(lines.missingBelow(written)).isLessThan(written / 20);
      }
    }
  }

  /** Writes numbered CRI lines at a steady rate, rotating the file every {@link #ROTATE_BYTES}. */
  private static final class Writer {
    private final Path log;
    private final boolean copytruncate;
    private final Deque<Path> rotated = new ArrayDeque<>();
    int rotations;

    Writer(Path log, boolean copytruncate) {
      this.log = log;
      this.copytruncate = copytruncate;
    }

    int run(Duration duration) throws IOException, InterruptedException {
      long start = System.nanoTime();
      long end = start + duration.toNanos();
      int n = 0;
      long bytes = 0;
      BufferedWriter out = open();
      while (System.nanoTime() < end) {
        long due = (System.nanoTime() - start) * LINES_PER_SECOND / 1_000_000_000L;
        for (; n < due; n++) {
          String line = Instant.now() + " stdout F line #" + n + PADDING + "\n";
          out.write(line);
          bytes += line.length();
          if (bytes >= ROTATE_BYTES) {
            out.close();
            rotate();
            out = open();
            bytes = 0;
          }
        }
        out.flush();
        Thread.sleep(5);
      }
      out.close();
      return n;
    }

    private BufferedWriter open() throws IOException {
      return Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private void rotate() throws IOException {
      rotations++;
      Path target = log.resolveSibling("0.log." + ROTATED.format(Instant.now()) + "." + rotations);
      if (copytruncate) {
        Files.copy(log, target, StandardCopyOption.REPLACE_EXISTING);
        try (var channel = java.nio.channels.FileChannel.open(log, StandardOpenOption.WRITE)) {
          channel.truncate(0);
        }
      } else {
        Files.move(log, target);
      }
      rotated.add(target);
      while (rotated.size() > 5) {
        Files.delete(rotated.poll());
      }
    }
  }
}
