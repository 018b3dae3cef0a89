package io.fleetlens.collector.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {

  @Test
  void savedCheckpointsLoadBackAndLeaveNoTemporaryFile(@TempDir Path dir) throws Exception {
    CheckpointStore store = new CheckpointStore(dir.resolve("state"));
    assertThat(store.load()).isEmpty();
    store.save(Map.of("1:2", new Checkpoint("/var/log/pods/a/b/0.log", 42, "0a0b0c0d", 1024)));
    store.save(Map.of("1:2", new Checkpoint("/var/log/pods/a/b/0.log", 84, "0a0b0c0d", 1024), "1:3", new Checkpoint("/c", 7, "01020304", 7)));
    assertThat(store.load()).containsOnly(
        Map.entry("1:2", new Checkpoint("/var/log/pods/a/b/0.log", 84, "0a0b0c0d", 1024)),
        Map.entry("1:3", new Checkpoint("/c", 7, "01020304", 7)));
    try (var files = Files.list(dir.resolve("state"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("checkpoints.json");
    }
  }
}
