package io.fleetlens.collector.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Finds the container log files under kubelet's pod log folder, current and rotated, following
 * symbolic links (with Docker, the files there link to Docker's own json-file logs).
 */
public final class LogFileDiscovery {

  private final Path root;
  private final FileFilter filter;

  public LogFileDiscovery(Path root, FileFilter filter) {
    this.root = root;
    this.filter = filter;
  }

  public Map<Path, PodLogPath.Found> scan() throws IOException {
    Map<Path, PodLogPath.Found> found = new LinkedHashMap<>();
    if (!Files.isDirectory(root)) {
      return found;
    }
    try (Stream<Path> files = Files.find(root, 3, (path, attributes) -> attributes.isRegularFile(),
        FileVisitOption.FOLLOW_LINKS)) {
      files.sorted().forEach(file -> PodLogPath.parse(root, file)
          .filter(f -> filter.accepts(f.container()))
          .ifPresent(f -> found.put(file, f)));
    } catch (UncheckedIOException e) {
      // a pod folder vanished or cannot be read while we walked; the next scan sees the new state
    }
    return found;
  }
}
