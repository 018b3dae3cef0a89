package io.fleetlens.collector.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.fleetlens.collector.files.Line;
import io.fleetlens.core.logs.LogStream;

class CriFormatTest {

  private final CriFormat format = new CriFormat();

  private static Line line(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return new Line(bytes, 10, 10 + bytes.length + 1, false);
  }

  @Test
  void fullLineWithNanosecondsInUtc() {
    Fragment f = format.parse(line("2026-11-23T10:15:30.123456789Z stdout F hello world")).orElseThrow();
    assertThat(f.timestamp()).isEqualTo(Instant.parse("2026-11-23T10:15:30.123456789Z"));
    assertThat(f.stream()).isEqualTo(LogStream.STDOUT);
    assertThat(f.partial()).isFalse();
    assertThat(new String(f.message(), StandardCharsets.UTF_8)).isEqualTo("hello world");
  }

  @Test
  void partialLineOnStderrWithAnOffsetTimestamp() {
    Fragment f = format.parse(line("2026-11-23T11:15:30.5+01:00 stderr P part one ")).orElseThrow();
    assertThat(f.timestamp()).isEqualTo(Instant.parse("2026-11-23T10:15:30.500Z"));
    assertThat(f.stream()).isEqualTo(LogStream.STDERR);
    assertThat(f.partial()).isTrue();
    assertThat(new String(f.message(), StandardCharsets.UTF_8)).isEqualTo("part one ");
  }

  @Test
  void emptyMessagesAndTagLists() {
    assertThat(format.parse(line("2026-11-23T10:15:30Z stdout F")).orElseThrow().message()).isEmpty();
    assertThat(format.parse(line("2026-11-23T10:15:30Z stdout F ")).orElseThrow().message()).isEmpty();
    assertThat(format.parse(line("2026-11-23T10:15:30Z stdout P:x msg")).orElseThrow().partial()).isTrue();
  }

  @Test
  void linesInOtherFormatsAreNotCri() {
    assertThat(format.parse(line("{\"log\":\"hi\\n\",\"stream\":\"stdout\"}"))).isEmpty();
    assertThat(format.parse(line("just some text"))).isEmpty();
    assertThat(format.parse(line("2026-11-23T10:15:30Z stdlog F msg"))).isEmpty();
    assertThat(format.parse(line("2026-11-23T10:15:30Z stdout X msg"))).isEmpty();
    assertThat(format.parse(line("yesterday stdout F msg"))).isEmpty();
    assertThat(format.parse(line(""))).isEmpty();
  }
}
