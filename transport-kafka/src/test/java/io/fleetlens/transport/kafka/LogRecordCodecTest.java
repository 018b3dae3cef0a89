package io.fleetlens.transport.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.fleetlens.core.logs.ContainerRef;
import io.fleetlens.core.logs.LogLevel;
import io.fleetlens.core.logs.LogOrigin;
import io.fleetlens.core.logs.LogRecord;
import io.fleetlens.core.logs.LogStream;

class LogRecordCodecTest {

  private final LogRecordCodec codec = new LogRecordCodec();

  private static LogRecord sample(LogLevel level) {
    return new LogRecord("prod-eu", "node-1", new ContainerRef("shop", "cart-7d9f", "uid-1", "app"),
        Instant.parse("2026-11-23T10:15:30.123456789Z"), LogStream.STDERR, "boom \"quoted\" ✓", true, level,
        new LogOrigin("dev=2049,ino=77", 4096));
  }

  @Test
  void recordSurvivesTheRoundTripWithNanoseconds() throws Exception {
    LogRecord record = sample(LogLevel.WARN);
    assertThat(codec.decode(codec.encode(record))).isEqualTo(record);
  }

  @Test
  void podMetadataSurvivesTheRoundTripAndIsLeftOutWhenUnknown() throws Exception {
    LogRecord enriched = sample(LogLevel.INFO).withPod(new io.fleetlens.core.pods.PodMetadata(
        java.util.Map.of("app.kubernetes.io/name", "cart"), java.util.Map.of("team", "checkout"),
        new io.fleetlens.core.pods.Workload("Deployment", "cart")));
    assertThat(codec.decode(codec.encode(enriched))).isEqualTo(enriched);
    String plain = new String(codec.encode(sample(LogLevel.INFO)), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(plain).doesNotContain("labels", "annotations", "workload");
  }

  @Test
  void levelIsOptional() throws Exception {
    LogRecord record = sample(null);
    assertThat(new String(codec.encode(record), StandardCharsets.UTF_8)).doesNotContain("\"level\"");
    assertThat(codec.decode(codec.encode(record))).isEqualTo(record);
  }

  @Test
  void garbageIsMalformed() {
    assertThatThrownBy(() -> codec.decode("not json".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(MalformedRecordException.class);
    assertThatThrownBy(() -> codec.decode("{\"v\":1,\"cluster\":\"c\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(MalformedRecordException.class);
    assertThatThrownBy(() -> codec.decode(null)).isInstanceOf(MalformedRecordException.class);
  }

  @Test
  void unknownVersionIsMalformed() {
    String v2 = new String(codec.encode(sample(null)), StandardCharsets.UTF_8).replace("\"v\":1", "\"v\":2");
    assertThatThrownBy(() -> codec.decode(v2.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessageContaining("version 2");
  }
}
