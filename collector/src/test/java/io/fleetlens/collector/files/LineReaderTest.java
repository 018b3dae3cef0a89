package io.fleetlens.collector.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineReaderTest {

  @TempDir
  Path dir;

  private static String text(Line line) {
    return new String(line.bytes(), StandardCharsets.UTF_8);
  }

  private void append(Path file, String text) throws Exception {
    Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  @Test
  void lineStillBeingWrittenWaitsForItsNewline() throws Exception {
    Path file = dir.resolve("0.log");
    append(file, "one\ntw");
    try (LineReader reader = new LineReader(file, 0, 100)) {
      assertThat(reader.read(10)).extracting(LineReaderTest::text).containsExactly("one");
      assertThat(reader.committedPosition()).isEqualTo(4);
      append(file, "o\nthree\n");
      List<Line> lines = reader.read(10);
      assertThat(lines).extracting(LineReaderTest::text).containsExactly("two", "three");
      assertThat(lines.get(0).start()).isEqualTo(4);
      assertThat(lines.get(1).end()).isEqualTo(14);
    }
  }

  @Test
  void startsAtTheGivenOffset() throws Exception {
    Path file = dir.resolve("0.log");
    append(file, "one\ntwo\n");
    try (LineReader reader = new LineReader(file, 4, 100)) {
      assertThat(reader.read(10)).extracting(LineReaderTest::text).containsExactly("two");
    }
  }

  @Test
  void longLineIsCutMarkedAndTheNextLineIsWhole() throws Exception {
    Path file = dir.resolve("0.log");
    String huge = "x".repeat(200_000);
    append(file, huge + "\nnext\n");
    try (LineReader reader = new LineReader(file, 0, 1000)) {
      List<Line> lines = reader.read(10);
      assertThat(lines).hasSize(2);
      assertThat(lines.get(0).bytes()).hasSize(1000);
      assertThat(lines.get(0).truncated()).isTrue();
      assertThat(lines.get(0).end()).isEqualTo(200_001);
      assertThat(text(lines.get(1))).isEqualTo("next");
      assertThat(lines.get(1).truncated()).isFalse();
    }
  }

  @Test
  void readsNoMoreThanAskedAndContinuesWhereItStopped() throws Exception {
    Path file = dir.resolve("0.log");
    append(file, "a\nb\nc\n");
    try (LineReader reader = new LineReader(file, 0, 100)) {
      assertThat(reader.read(2)).extracting(LineReaderTest::text).containsExactly("a", "b");
      assertThat(reader.read(2)).extracting(LineReaderTest::text).containsExactly("c");
    }
  }
}
