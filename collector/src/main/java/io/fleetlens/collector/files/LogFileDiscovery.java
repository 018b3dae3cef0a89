package io.fleetlens.collector.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import io.fleetlens.core.logs.ContainerRef;

/** Finds the container log files under kubelet's pod log folder. */
public final class LogFileDiscovery {

  private final Path root;

  public LogFileDiscovery(Path root) {
    this.root = root;
  }

  /** Every current container log file with the container it belongs to. */
  public Map<Path, ContainerRef> scan() throws IOException {
    Map<Path, ContainerRef> found = new LinkedHashMap<>();
    if (!Files.isDirectory(root)) {
      return found;
    }
    try (Stream<Path> files = Files.find(root, 3, (path, attributes) -> attributes.isRegularFile())) {
      files.sorted().forEach(file -> PodLogPath.parse(root, file).ifPresent(ref -> found.put(file, ref)));
    } catch (java.io.UncheckedIOException e) {
      // a pod folder vanished while we walked it; the next scan sees the new state
    }
    return found;
  }
}
