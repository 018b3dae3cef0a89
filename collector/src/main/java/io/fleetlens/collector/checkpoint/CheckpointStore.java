package io.fleetlens.collector.checkpoint;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Checkpoints of every tailed file in one JSON file, keyed by file identity, replaced atomically
 * (written beside it, flushed to disk, then renamed over it) so a crash leaves the old or the new
 * version, never half of one.
 */
public final class CheckpointStore {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<TreeMap<String, Checkpoint>> TYPE = new TypeReference<>() {
  };

  private final Path file;
  private final Path temp;

  public CheckpointStore(Path dir) {
    this.file = dir.resolve("checkpoints.json");
    this.temp = dir.resolve("checkpoints.json.tmp");
  }

  public Map<String, Checkpoint> load() throws IOException {
    if (!Files.exists(file)) {
      return new TreeMap<>();
    }
    return JSON.readValue(file.toFile(), TYPE);
  }

  public void save(Map<String, Checkpoint> checkpoints) throws IOException {
    Files.createDirectories(file.getParent());
    byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(new TreeMap<>(checkpoints));
    try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      out.write(java.nio.ByteBuffer.wrap(bytes));
      out.force(true);
    }
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
