package io.fleetlens.collector.files;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fleetlens.core.logs.ContainerRef;

/**
 * Reads who wrote a log from its link in {@code /var/log/containers}:
 * {@code <pod>_<namespace>_<container>-<container id>.log}. Kubelet cuts the name at 255
 * characters, so the container id is never taken from it; the pod's uid is not in it at all (the
 * collector looks it up in the kubelet's pod list, and leaves it empty when unknown).
 */
public final class ContainerLogLink {

  private static final Pattern NAME = Pattern.compile("([^_]+)_([^_]+)_(.+)\\.log");

  private ContainerLogLink() {
  }

  public static Optional<PodLogPath.Found> parse(Path link) {
    Matcher name = NAME.matcher(link.getFileName().toString());
    if (!name.matches()) {
      return Optional.empty();
    }
    String containerAndId = name.group(3);
    int dash = containerAndId.lastIndexOf('-');
    String container = dash > 0 ? containerAndId.substring(0, dash) : containerAndId;
    return Optional.of(new PodLogPath.Found(new ContainerRef(name.group(2), name.group(1), "", container), link, false));
  }
}
