package io.fleetlens.collector.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.fleetlens.collector.files.Line;
import io.fleetlens.core.logs.LogStream;

class DockerJsonFormatTest {

  private final DockerJsonFormat format = new DockerJsonFormat();

  private static Line line(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return new Line(bytes, 0, bytes.length + 1, false);
  }

  @Test
  void lineEndingInNewlineIsWhole() {
    Fragment f = format.parse(line(
        "{\"log\":\"GET /cart 200 \\\"ok\\\" \\u00e9\\n\",\"stream\":\"stderr\",\"time\":\"2026-11-23T10:15:30.123456789Z\"}"))
        .orElseThrow();
    assertThat(new String(f.message(), StandardCharsets.UTF_8)).isEqualTo("GET /cart 200 \"ok\" \u00e9");
    assertThat(f.stream()).isEqualTo(LogStream.STDERR);
    assertThat(f.partial()).isFalse();
    assertThat(f.timestamp()).isEqualTo(Instant.parse("2026-11-23T10:15:30.123456789Z"));
  }

  @Test
  void lineWithoutNewlineIsThe16KiBSplitAndPartial() {
    Fragment f = format.parse(line("{\"log\":\"first 16 KiB\",\"stream\":\"stdout\",\"time\":\"2026-11-23T10:15:30Z\"}"))
        .orElseThrow();
    assertThat(f.partial()).isTrue();
    assertThat(new String(f.message(), StandardCharsets.UTF_8)).isEqualTo("first 16 KiB");
  }

  @Test
  void brokenJsonOrMissingFieldsAreNotDockerLines() {
    assertThat(format.parse(line("{\"log\":\"unterminated"))).isEmpty();
    assertThat(format.parse(line("{\"log\":\"x\\n\",\"stream\":\"stdout\"}"))).isEmpty();
    assertThat(format.parse(line("{\"log\":\"x\\n\",\"stream\":\"other\",\"time\":\"2026-11-23T10:15:30Z\"}"))).isEmpty();
    assertThat(format.parse(line("2026-11-23T10:15:30Z stdout F cri line"))).isEmpty();
  }

  @Test
  void formatIsDetectedFromTheFirstLine() {
    assertThat(LineFormat.detect(line("{\"log\":\"x\\n\"}"))).isInstanceOf(DockerJsonFormat.class);
    assertThat(LineFormat.detect(line("2026-11-23T10:15:30Z stdout F x"))).isInstanceOf(CriFormat.class);
  }
}
