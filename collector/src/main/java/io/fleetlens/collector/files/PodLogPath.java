package io.fleetlens.collector.files;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fleetlens.core.logs.ContainerRef;

/**
 * Reads who wrote a log file from where kubelet put it:
 * {@code <root>/<namespace>_<pod>_<pod uid>/<container>/<restart count>.log}. Namespace and pod
 * names are DNS names and a uid is a UUID, so none of the three holds an underscore.
 */
public final class PodLogPath {

  private static final Pattern POD_DIR = Pattern.compile("([^_]+)_([^_]+)_([^_]+)");
  private static final Pattern LOG_FILE = Pattern.compile("\\d+\\.log");

  private PodLogPath() {
  }

  public static Optional<ContainerRef> parse(Path root, Path file) {
    Path relative = root.relativize(file);
    if (relative.getNameCount() != 3 || !LOG_FILE.matcher(relative.getFileName().toString()).matches()) {
      return Optional.empty();
    }
    Matcher pod = POD_DIR.matcher(relative.getName(0).toString());
    if (!pod.matches()) {
      return Optional.empty();
    }
    return Optional.of(new ContainerRef(pod.group(1), pod.group(2), pod.group(3), relative.getName(1).toString()));
  }
}
