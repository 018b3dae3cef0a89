package io.fleetlens.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.fleetlens.testkit.KafkaFixture;
import io.fleetlens.testkit.LogTopicReader;
import io.fleetlens.testkit.NumberedLines;
import io.fleetlens.testkit.RealServers;

/** The collector killed with SIGKILL five times while its node writes heavily, checked on the real topic. */
@ExtendWith(RealServers.class)
class CollectorCrashIT {

  @Test
  void killedFiveTimesDuringHeavyWritingLosesNothing(KafkaFixture kafka) throws Exception {
    Path work = Path.of("target", "e2e", "crash-" + System.nanoTime()).toAbsolutePath();
    PodLogs pods = new PodLogs(work.resolve("pods"));
    NumberedWriter writer = new NumberedWriter(pods, "heavy", 3, "crash line", Integer.MAX_VALUE, 100, 5);
    try (CollectorProcess collector = new CollectorProcess(work.resolve("collector"), "crash", kafka.bootstrapServers(),
        "crash.logs", pods.root(), 64 * 1024)) {
      writer.start();
      collector.start();
      for (int kill = 0; kill < 5; kill++) {
        Thread.sleep(4_000);
        collector.kill();
        collector.start();
      }
      Thread.sleep(2_000);
      int total = writer.stop();
      try (LogTopicReader reader = new LogTopicReader(kafka.bootstrapServers(), "crash.logs")) {
        reader.readUntil(lines -> lines.distinct() >= total, Duration.ofSeconds(120));
        NumberedLines lines = reader.lines();
        System.out.printf("5 SIGKILLs: %d lines written, %d records on the topic, %d missing, %d re-sent duplicates%n",
            total, lines.arrived(), lines.missingBelow(total), lines.duplicates());
        assertThat(total).isGreaterThan(50_000);
        assertThat(lines.missingBelow(total)).isZero();
      }
    }
  }
}
