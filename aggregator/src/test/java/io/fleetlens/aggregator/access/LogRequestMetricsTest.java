package io.fleetlens.aggregator.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fleetlens.core.logs.ContainerRef;
import io.fleetlens.core.logs.LogOrigin;
import io.fleetlens.core.logs.LogRecord;
import io.fleetlens.core.logs.LogStream;
import io.fleetlens.core.metrics.Sample;
import io.fleetlens.core.pods.PodMetadata;
import io.fleetlens.core.pods.Workload;

class LogRequestMetricsTest {

  private static final long T0 = 1_795_435_200_000L; // a slot boundary
  private static final Workload WEB = new Workload("Deployment", "web");

  private static LogRecord line(String pod, Workload workload, long t, int status, String seconds) {
    String message = "10.0.0.1 - - [23/Nov/2026:08:00:00 +0000] \"GET / HTTP/1.1\" " + status + " 12 \"-\" \"curl\" 80 "
        + seconds + " [shop-web-80] [] 10.0.0.9:80 12 " + seconds + " " + status + " abc";
    return new LogRecord("eu", "node-1", new ContainerRef("shop", pod, "uid", "web"), Instant.ofEpochMilli(t),
        LogStream.STDOUT, message, false, null, new LogOrigin("1:1", t), new PodMetadata(Map.of(), Map.of(), workload),
        Map.of());
  }

  private static double value(List<Sample> samples, long t, String name, String label, String value) {
    return samples.stream().filter(s -> s.timestampMillis() == t && s.name().equals(name)
        && (label == null || value.equals(s.labels().get(label)))).mapToDouble(Sample::value).sum();
  }

  @Test
  void requestsAreCountedPerWorkloadAndStatusWithADurationHistogram() {
    LogRequestMetrics metrics = new LogRequestMetrics("aggregator-1");
    metrics.observe(line("web-7d9f-a", WEB, T0 + 1_000, 200, "0.004"), T0);
    metrics.observe(line("web-7d9f-b", WEB, T0 + 2_000, 200, "0.300"), T0);
    metrics.observe(line("web-7d9f-a", WEB, T0 + 3_000, 503, "3.0"), T0);
    assertThat(metrics.observe(line("web-7d9f-a", WEB, T0 + 4_000, 200, "x"), T0)).isTrue(); // no duration
    LogRecord notARequest = new LogRecord("eu", "node-1", new ContainerRef("shop", "web-7d9f-a", "uid", "web"),
        Instant.ofEpochMilli(T0), LogStream.STDOUT, "starting", false, null, new LogOrigin("1:1", 0));
    assertThat(metrics.observe(notARequest, T0)).isFalse();

    assertThat(metrics.flush(T0 + 30_000)).isEmpty(); // no line past the slot yet, nor half a minute without lines
    List<Sample> samples = metrics.flush(T0 + 30_001);
    long end = T0 + 15_000;
    assertThat(samples).allSatisfy(s -> {
      assertThat(s.timestampMillis()).isEqualTo(end);
      assertThat(s.labels()).containsEntry("workload", "web").containsEntry("workload_kind", "Deployment")
          .containsEntry("namespace", "shop").containsEntry("cluster", "eu").containsEntry("instance", "aggregator-1");
    });
    assertThat(value(samples, end, LogRequestMetrics.REQUESTS, "code", "200")).isEqualTo(3);
    assertThat(value(samples, end, LogRequestMetrics.REQUESTS, "code", "503")).isEqualTo(1);
    assertThat(value(samples, end, LogRequestMetrics.DURATION + "_count", null, null)).isEqualTo(3);
    assertThat(value(samples, end, LogRequestMetrics.DURATION + "_sum", null, null)).isCloseTo(3.304, within(1e-9));
    assertThat(value(samples, end, LogRequestMetrics.DURATION + "_bucket", "le", "0.005")).isEqualTo(1);
    assertThat(value(samples, end, LogRequestMetrics.DURATION + "_bucket", "le", "0.5")).isEqualTo(2);
    assertThat(value(samples, end, LogRequestMetrics.DURATION + "_bucket", "le", "2.5")).isEqualTo(2);
    assertThat(value(samples, end, LogRequestMetrics.DURATION + "_bucket", "le", "+Inf")).isEqualTo(3);
  }

  @Test
  void aBacklogReadAtOnceKeepsTheTimesItHappenedAtAndIdleCountersGoOn() {
    LogRequestMetrics metrics = new LogRequestMetrics("a");
    long now = T0 + 3_600_000;
    for (int i = 0; i < 60; i++) { // a minute of lines, one a second, read an hour later
      metrics.observe(line("lonely", null, T0 + i * 1_000L, 200, "0.1"), now);
    }
    List<Sample> samples = metrics.flush(now);
    for (int slot = 1; slot <= 3; slot++) { // the slots the lines have moved past
      assertThat(value(samples, T0 + slot * 15_000L, LogRequestMetrics.REQUESTS, null, null)).isEqualTo(15 * slot);
    }
    assertThat(samples).allSatisfy(s -> assertThat(s.timestampMillis()).isLessThanOrEqualTo(T0 + 45_000));
    assertThat(samples).allSatisfy(s -> assertThat(s.labels()).containsEntry("workload", "lonely")
        .containsEntry("workload_kind", "Pod"));

    List<Sample> idle = metrics.flush(now + 30_001); // no more lines: the last slot, then zero rate until now
    assertThat(value(idle, T0 + 60_000, LogRequestMetrics.REQUESTS, null, null)).isEqualTo(60);
    assertThat(value(idle, now + 15_000, LogRequestMetrics.REQUESTS, null, null)).isEqualTo(60);

    // a line for a slot already emitted counts in the next one
    metrics.observe(line("lonely", null, T0, 500, "0.1"), now + 30_001);
    List<Sample> next = metrics.flush(now + 60_002);
    assertThat(value(next, now + 30_000, LogRequestMetrics.REQUESTS, "code", "500")).isEqualTo(1);
    assertThat(metrics.flush(now + 3 * 3_600_000L)).isEmpty(); // idle for over an hour: forgotten
  }
}
