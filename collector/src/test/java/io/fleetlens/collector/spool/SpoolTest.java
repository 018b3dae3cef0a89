package io.fleetlens.collector.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> values(List<Spool.Entry> entries) {
    return entries.stream().map(e -> new String(e.value(), StandardCharsets.UTF_8)).toList();
  }

  @Test
  void entriesComeOutInOrderAcrossSegmentsAndDeliveredSegmentsAreDeleted(@TempDir Path dir) throws Exception {
    try (Spool spool = new Spool(dir, 1 << 20, 64)) {
      for (int i = 0; i < 10; i++) {
        spool.append(b("k"), b("value-" + i + "-" + "x".repeat(20)));
      }
      spool.sync();
      List<Spool.Entry> first = spool.read(4);
      assertThat(values(first)).hasSize(4).allMatch(v -> v.startsWith("value-"));
      assertThat(values(first).get(0)).startsWith("value-0-");
      spool.delivered(first.get(3));
      List<Spool.Entry> rest = spool.read(100);
      assertThat(values(rest)).hasSize(6);
      assertThat(values(rest).get(0)).startsWith("value-4-");
      spool.delivered(rest.get(5));
      assertThat(spool.read(100)).isEmpty();
      try (var files = Files.list(dir)) {
        assertThat(files.count()).isLessThanOrEqualTo(1);
      }
    }
  }

  @Test
  void afterARestartWhatWasNotDeliveredIsReadAgain(@TempDir Path dir) throws Exception {
    try (Spool spool = new Spool(dir, 1 << 20, 1 << 20)) {
      spool.append(b("k"), b("a"));
      spool.append(b("k"), b("b"));
      spool.sync();
      assertThat(values(spool.read(10))).containsExactly("a", "b");
    }
    try (Spool reopened = new Spool(dir, 1 << 20, 1 << 20)) {
      reopened.append(b("k"), b("c"));
      assertThat(values(reopened.read(10))).containsExactly("a", "b", "c");
    }
  }

  @Test
  void rewindReadsAgainFromTheOldestUndelivered(@TempDir Path dir) throws Exception {
    try (Spool spool = new Spool(dir, 1 << 20, 1 << 20)) {
      spool.append(b("k"), b("a"));
      spool.append(b("k"), b("b"));
      assertThat(values(spool.read(1))).containsExactly("a");
      spool.rewind();
      assertThat(values(spool.read(10))).containsExactly("a", "b");
    }
  }

  @Test
  void spoolIsFullAtItsBound(@TempDir Path dir) throws Exception {
    try (Spool spool = new Spool(dir, 100, 1 << 20)) {
      assertThat(spool.full()).isFalse();
      spool.append(b("key"), new byte[100]);
      assertThat(spool.full()).isTrue();
    }
  }
}
