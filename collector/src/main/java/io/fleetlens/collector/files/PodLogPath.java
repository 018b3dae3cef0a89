package io.fleetlens.collector.files;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fleetlens.core.logs.ContainerRef;

/**
 * Reads who wrote a log file from where kubelet put it:
 * {@code <root>/<namespace>_<pod>_<pod uid>/<container>/<restart count>.log}, or a rotated copy of
 * it, {@code <restart count>.log.<timestamp>} (compressed copies, {@code .gz}, are not read).
 * Namespace and pod names are DNS names and a uid is a UUID, so none of the three holds an underscore.
 */
public final class PodLogPath {

  /** The container a file belongs to, and the path of the current file of its log (its slot). */
  public record Found(ContainerRef container, Path slot, boolean rotated) {
  }

  private static final Pattern POD_DIR = Pattern.compile("([^_]+)_([^_]+)_([^_]+)");
  private static final Pattern LOG_FILE = Pattern.compile("(\\d+\\.log)(\\.\\d{8}-\\d{6}(?:\\.\\d+)?)?");

  private PodLogPath() {
  }

  public static Optional<Found> parse(Path root, Path file) {
    Path relative = root.relativize(file);
    if (relative.getNameCount() != 3) {
      return Optional.empty();
    }
    Matcher name = LOG_FILE.matcher(relative.getFileName().toString());
    Matcher pod = POD_DIR.matcher(relative.getName(0).toString());
    if (!name.matches() || !pod.matches()) {
      return Optional.empty();
    }
    ContainerRef container = new ContainerRef(pod.group(1), pod.group(2), pod.group(3), relative.getName(1).toString());
    return Optional.of(new Found(container, file.resolveSibling(name.group(1)), name.group(2) != null));
  }
}
