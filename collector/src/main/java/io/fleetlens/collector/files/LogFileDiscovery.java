package io.fleetlens.collector.files;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Finds the container log files under kubelet's pod log folder, current and rotated, following
 * symbolic links (with Docker, the files there link to Docker's own json-file logs), then the links
 * in {@code /var/log/containers}. Most of those lead to a file already found under the pod folder;
 * the collector follows files by identity, so such a file is read once. A folder or file that
 * cannot be read is reported once and skipped; the rest is still found.
 */
public final class LogFileDiscovery {

  private final Path root;
  private final Path containersDir;
  private final FileFilter filter;
  private final BiConsumer<Path, IOException> unreadable;
  private final Set<Path> reported = ConcurrentHashMap.newKeySet();

  public LogFileDiscovery(Path root, Path containersDir, FileFilter filter,
      BiConsumer<Path, IOException> unreadable) {
    this.root = root;
    this.containersDir = containersDir;
    this.filter = filter;
    this.unreadable = unreadable;
  }

  public Map<Path, PodLogPath.Found> scan() throws IOException {
    Map<Path, PodLogPath.Found> found = new LinkedHashMap<>();
    if (Files.isDirectory(root)) {
      scanPods(found);
    }
    if (containersDir != null && Files.isDirectory(containersDir)) {
      scanLinks(found);
    }
    return found;
  }

  private void scanLinks(Map<Path, PodLogPath.Found> found) throws IOException {
    try (var links = Files.newDirectoryStream(containersDir, "*.log")) {
      for (Path link : links) {
        if (Files.isRegularFile(link)) {
          ContainerLogLink.parse(link).filter(f -> filter.accepts(f.container())).ifPresent(f -> found.put(link, f));
        }
      }
    }
  }

  private void scanPods(Map<Path, PodLogPath.Found> found) throws IOException {
    Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), 3, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
        if (attributes.isRegularFile()) {
          PodLogPath.parse(root, file).filter(f -> filter.accepts(f.container())).ifPresent(f -> found.put(file, f));
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) {
        if (reported.add(file)) {
          unreadable.accept(file, e);
        }
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
