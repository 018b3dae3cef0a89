package io.fleetlens.collector.cri;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.fleetlens.collector.files.Line;
import io.fleetlens.core.logs.LogStream;

class CriLineParserTest {

  private static Line line(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return new Line(bytes, 10, 10 + bytes.length + 1, false);
  }

  @Test
  void fullLineWithNanosecondsInUtc() {
    CriLine cri = CriLineParser.parse(line("2026-11-23T10:15:30.123456789Z stdout F hello world")).orElseThrow();
    assertThat(cri.timestamp()).isEqualTo(Instant.parse("2026-11-23T10:15:30.123456789Z"));
    assertThat(cri.stream()).isEqualTo(LogStream.STDOUT);
    assertThat(cri.partial()).isFalse();
    assertThat(new String(cri.message(), StandardCharsets.UTF_8)).isEqualTo("hello world");
    assertThat(cri.start()).isEqualTo(10);
  }

  @Test
  void partialLineOnStderrWithAnOffsetTimestamp() {
    CriLine cri = CriLineParser.parse(line("2026-11-23T11:15:30.5+01:00 stderr P part one ")).orElseThrow();
    assertThat(cri.timestamp()).isEqualTo(Instant.parse("2026-11-23T10:15:30.500Z"));
    assertThat(cri.stream()).isEqualTo(LogStream.STDERR);
    assertThat(cri.partial()).isTrue();
    assertThat(new String(cri.message(), StandardCharsets.UTF_8)).isEqualTo("part one ");
  }

  @Test
  void emptyMessageWithOrWithoutTheSeparator() {
    assertThat(CriLineParser.parse(line("2026-11-23T10:15:30Z stdout F")).orElseThrow().message()).isEmpty();
    assertThat(CriLineParser.parse(line("2026-11-23T10:15:30Z stdout F ")).orElseThrow().message()).isEmpty();
  }

  @Test
  void tagListTakesItsFirstTag() {
    assertThat(CriLineParser.parse(line("2026-11-23T10:15:30Z stdout P:x msg")).orElseThrow().partial()).isTrue();
  }

  @Test
  void linesInOtherFormatsAreNotCri() {
    assertThat(CriLineParser.parse(line("{\"log\":\"hi\\n\",\"stream\":\"stdout\"}"))).isEmpty();
    assertThat(CriLineParser.parse(line("just some text"))).isEmpty();
    assertThat(CriLineParser.parse(line("2026-11-23T10:15:30Z stdlog F msg"))).isEmpty();
    assertThat(CriLineParser.parse(line("2026-11-23T10:15:30Z stdout X msg"))).isEmpty();
    assertThat(CriLineParser.parse(line("yesterday stdout F msg"))).isEmpty();
    assertThat(CriLineParser.parse(line(""))).isEmpty();
  }
}
